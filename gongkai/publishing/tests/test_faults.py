"""Faults: two reviewers on one step at the same moment, and a publication that dies half-way."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.catalogue.models import Visibility
from gongkai.publishing.models import FindingDecision, ReviewAction
from gongkai.publishing.rules import Decision, SubmissionState
from gongkai.publishing.services import (
    Conflict,
    carrying_out,
    finding_settle,
    publish_scheduled,
    submission_decide,
    submission_submit,
)

from .factories import draft, make_office, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reviewers_at_the_same_moment_one_wins_the_other_is_told():
    office = make_office()
    rival = make_staff(office.agency, Role.REVIEWER)
    sub = submission_submit(submission=draft(office), actor=office.clerk)
    shown = sub.version
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name, user, decision, opinion):
        try:
            start.wait()
            submission_decide(
                submission=sub, actor=user, decision=decision, opinion=opinion, expected_version=shown
            )
            outcomes[name] = "done"
        except BaseException as exc:  # reported below
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("approve", office.unit_head, Decision.APPROVE, "同意")),
        threading.Thread(target=act, args=("return", rival, Decision.RETURN, "请修改")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results = sorted(outcomes.values(), key=lambda v: v == "done")
    assert isinstance(results[0], Conflict) and results[1] == "done", outcomes
    sub.refresh_from_db()
    winner = "approve" if outcomes["approve"] == "done" else "return"
    assert sub.state == (SubmissionState.IN_REVIEW if winner == "approve" else SubmissionState.RETURNED)
    assert ReviewAction.objects.filter(submission=sub, step=1).count() == 1  # nothing doubled


def test_a_scheduled_publication_that_dies_half_way_rolls_back_whole(monkeypatch):
    office = make_office()
    body = "联系电话13812345678。"
    sub = submission_submit(
        submission=draft(office, body=body),
        actor=office.clerk,
        publish_at=timezone.now() + timedelta(hours=1),
    )
    sub = submission_decide(submission=sub, actor=office.unit_head, decision=Decision.APPROVE)
    finding_settle(finding=sub.findings.get(), actor=office.office_head, decision=FindingDecision.REDACT)
    sub.refresh_from_db()
    for approver in (office.office_head, office.leader):
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
    assert sub.state == SubmissionState.SCHEDULED

    # The process dies after the redaction was written and before the document is published.
    def die(**kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(carrying_out, "document_publish", die)
    with pytest.raises(SystemExit):
        publish_scheduled(now=timezone.now() + timedelta(hours=2))
    sub.refresh_from_db()
    sub.document.refresh_from_db()
    assert sub.state == SubmissionState.SCHEDULED and sub.original_text == {}
    assert sub.document.visibility == Visibility.INTERNAL and sub.document.body == body
    assert sub.document.index_no is None

    # The next run completes it.
    monkeypatch.undo()
    assert publish_scheduled(now=timezone.now() + timedelta(hours=2)) == [sub.pk]
    sub.document.refresh_from_db()
    assert sub.document.visibility == Visibility.PUBLIC and "13812345678" not in sub.document.body
