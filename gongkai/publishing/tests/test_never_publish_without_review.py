"""Property: whatever anyone tries, in any order, a record is public only after every step of
its chain approved it in the same round, each by a different person holding that step's role
who neither drafted nor submitted it (security.md: state machines that must never publish
without review)."""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import Role, StaffRole
from gongkai.catalogue.models import Visibility
from gongkai.publishing.models import FindingDecision
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import (
    PublishingError,
    finding_settle,
    submission_cancel,
    submission_decide,
    submission_submit,
)

from .factories import draft, make_office, make_staff

KINDS = ["submit", "approve", "return", "refer", "cancel", "settle"]
# The right moves in order (who: 0 clerk, 1 unit head, 2 office head, 3 leader, 4 outsider,
# 5 someone holding every approver role), so that many examples do reach publication...
HAPPY_PATH = [("submit", 0), ("approve", 1), ("settle", 2), ("approve", 2), ("approve", 3)]
# ...with any moves by anyone inserted anywhere.
INSERTIONS = st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(HAPPY_PATH)), st.sampled_from(KINDS), st.integers(0, 5)),
    max_size=6,
)


def _actions(insertions):
    actions = list(HAPPY_PATH)
    for position, kind, who in sorted(insertions, key=lambda item: -item[0]):
        actions.insert(position, (kind, who))
    return actions


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(insertions=INSERTIONS)
def test_public_only_after_a_complete_round(insertions):
    actions = _actions(insertions)
    office = make_office()
    outsider = make_office("江州市财政局").unit_head
    dual = make_staff(office.agency, Role.REVIEWER, Role.OFFICE_HEAD, Role.LEADER)
    people = [office.clerk, office.unit_head, office.office_head, office.leader, outsider, dual]
    sub = draft(office, body="联系电话13812345678。")
    for action, who in actions:
        actor = people[who]
        sub.refresh_from_db()
        try:
            if action == "submit":
                submission_submit(submission=sub, actor=actor)
            elif action == "cancel":
                submission_cancel(submission=sub, actor=actor, reason="撤销")
            elif action == "settle":
                for finding in sub.findings.filter(decision=FindingDecision.PENDING):
                    finding_settle(finding=finding, actor=actor, decision=FindingDecision.REDACT)
            else:
                decision = {"approve": Decision.APPROVE, "return": Decision.RETURN, "refer": Decision.REFER}[
                    action
                ]
                submission_decide(submission=sub, actor=actor, decision=decision, opinion="意见")
        except PublishingError:
            pass
        sub.refresh_from_db()
        sub.document.refresh_from_db()
        if sub.document.visibility == Visibility.PUBLIC:
            event("published")
            steps = sub.steps
            approvals = list(sub.actions.filter(round=sub.round, step__gte=1, decision=Decision.APPROVE))
            approved_steps = {a.step_key for a in approvals}
            assert approved_steps == {s.key for s in steps[1:]}
            for a in approvals:
                role = next(s.role for s in steps if s.key == a.step_key)
                assert StaffRole.objects.filter(user=a.actor, agency=office.agency, role=role).exists()
                assert a.actor_id not in (sub.created_by_id, sub.submitted_by_id)
            ordinary = [a.actor_id for a in approvals if a.step_key != "secrecy_bureau"]
            assert len(ordinary) == len(set(ordinary))
            assert "13812345678" not in sub.document.body
