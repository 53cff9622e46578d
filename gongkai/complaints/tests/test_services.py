"""Complaints and suggestions: routing to the body that answers, the answer date in working
days, who may act, the states, publication without personal data, and the audit trail."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.calendar_seed import package_notices, seed_notices
from gongkai.core.calendar_store import workday_add
from gongkai.core.models import AuditEvent, CalendarDay, HolidayNotice
from gongkai.publishing.tests.factories import make_staff

from .. import services
from ..models import Complaint
from ..rules import Kind, State, answer_workdays
from .factories import MOBILE, NAME, complaint_data, make_tree, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def package_calendar():
    seed_notices(HolidayNotice, CalendarDay, package_notices())


# --- routing -----------------------------------------------------------------------------------


def test_a_complaint_goes_to_the_competent_authority(tree):
    assert submit(tree.bureau).complaint.routed_to == tree.office


def test_without_a_competent_authority_a_complaint_goes_to_the_agency_above(tree):
    tree.bureau.competent_authority = None
    tree.bureau.save()
    assert submit(tree.bureau).complaint.routed_to == tree.city


def test_a_suggestion_goes_to_the_agency_itself(tree):
    complaint = submit(tree.bureau, kind=Kind.SUGGESTION, name="", contact="").complaint
    assert complaint.routed_to == tree.bureau


def test_a_complaint_about_an_agency_with_no_one_above_is_answered_by_itself():
    top = make_agency("江南省人民政府")
    assert submit(top).complaint.routed_to == top


# --- the answer date ---------------------------------------------------------------------------


def test_the_answer_date_counts_working_days_across_a_holiday(package_calendar):
    # Received Wednesday 30 September 2026: 1-7 October are the National Day holiday and
    # Saturday 10 October is a working day; the 15th working day after is Tuesday 27 October.
    due = services.answer_due(date(2026, 9, 30))
    assert due.date == date(2026, 10, 27)
    assert not due.provisional


def test_the_answer_period_is_a_setting(package_calendar, settings):
    settings.GONGKAI_COMPLAINT_ANSWER_WORKDAYS = 3
    assert services.answer_due(date(2026, 9, 30)).date == date(2026, 10, 10)  # an adjusted Saturday


def test_a_submission_is_received_at_once_with_its_answer_date(tree, settings):
    settings.GONGKAI_COMPLAINT_ANSWER_WORKDAYS = 10
    complaint = submit(tree.bureau).complaint
    received_on = timezone.localdate(complaint.received_at)
    assert received_on == timezone.localdate()
    assert complaint.due_on == workday_add(received_on, 10).date
    assert complaint.state == State.RECEIVED
    assert complaint.tracking_no.startswith("JB")


def test_a_complaint_received_earlier_is_due_from_its_day_of_receipt(tree):
    received_at = timezone.now() - timedelta(days=40)
    complaint = services.complaint_submit(data=complaint_data(tree.bureau), received_at=received_at).complaint
    received_on = timezone.localdate(received_at)
    assert complaint.received_at == received_at
    assert complaint.due_on == workday_add(received_on, answer_workdays()).date
    assert Complaint.objects.overdue(timezone.localdate()).filter(pk=complaint.pk).exists()


def test_a_receipt_time_in_the_future_is_refused(tree):
    with pytest.raises(services.ComplaintError):
        services.complaint_submit(
            data=complaint_data(tree.bureau), received_at=timezone.now() + timedelta(hours=1)
        )
    assert not Complaint.objects.exists()


def test_overdue_is_derived_from_the_stored_due_date(tree):
    complaint = submit(tree.bureau).complaint
    assert not Complaint.objects.overdue(complaint.due_on).exists()
    assert list(Complaint.objects.overdue(date.fromordinal(complaint.due_on.toordinal() + 1))) == [complaint]


# --- submission --------------------------------------------------------------------------------


def test_the_query_code_is_stored_only_as_a_hash_and_finds_the_complaint(tree):
    submitted = submit(tree.bureau)
    assert submitted.query_code not in submitted.complaint.query_code_hash
    found = services.complaint_find(
        tracking_no=submitted.complaint.tracking_no.lower(), query_code=submitted.query_code.lower()
    )
    assert found == submitted.complaint
    assert services.complaint_find(tracking_no=submitted.complaint.tracking_no, query_code="WRONG234") is None
    assert services.complaint_find(tracking_no="JB000", query_code=submitted.query_code) is None


def test_the_database_refuses_a_complaint_without_its_author(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        submit(tree.bureau, name="")


def test_the_same_idempotency_key_makes_one_complaint(tree):
    services.complaint_submit(data=complaint_data(tree.bureau), idempotency_key="k-1")
    with pytest.raises(services.Duplicate):
        services.complaint_submit(data=complaint_data(tree.bureau), idempotency_key="k-1")
    assert Complaint.objects.count() == 1


def test_submissions_are_limited_per_address(tree):
    for _ in range(services.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
        services.complaint_submit(
            data=complaint_data(tree.bureau, kind=Kind.SUGGESTION, name="", contact=""), client_ip="192.0.2.7"
        )
    with pytest.raises(services.RateLimited):
        services.complaint_submit(data=complaint_data(tree.bureau), client_ip="192.0.2.7")
    services.complaint_submit(data=complaint_data(tree.bureau), client_ip="192.0.2.8")


def test_submissions_are_limited_per_contact(tree):
    for i in range(services.SUBMISSIONS_PER_CONTACT_PER_DAY):
        services.complaint_submit(data=complaint_data(tree.bureau), client_ip=f"192.0.2.{i + 10}")
    with pytest.raises(services.RateLimited):
        services.complaint_submit(data=complaint_data(tree.bureau), client_ip="192.0.2.99")


# --- permissions and states --------------------------------------------------------------------


def test_staff_of_the_routed_agency_investigate_and_answer(tree):
    complaint = submit(tree.bureau).complaint
    complaint = services.complaint_investigate(
        complaint=complaint, actor=tree.office_clerk, note="已调取网站记录"
    )
    assert complaint.state == State.INVESTIGATING and complaint.handled_by == tree.office_clerk
    complaint = services.complaint_answer(
        complaint=complaint, answer="经调查，已责令市教育局于五个工作日内公开。", actor=tree.office_head
    )
    assert complaint.state == State.ANSWERED
    assert complaint.answered_by == tree.office_head and complaint.answered_at is not None


@pytest.mark.parametrize("who", ["bureau_clerk", "city_clerk", "province_supervisor"])
def test_others_may_not_act(tree, who):
    # The agency complained about, the government above its competent authority's office, and
    # a supervisor further up: none of them answers for the routed agency.
    complaint = submit(tree.bureau).complaint
    with pytest.raises(services.NotPermitted):
        services.complaint_investigate(complaint=complaint, actor=getattr(tree, who))
    complaint.refresh_from_db()
    assert complaint.state == State.RECEIVED


def test_a_reviewer_of_the_routed_agency_may_not_act(tree):
    reviewer = make_staff(tree.office, Role.REVIEWER)
    with pytest.raises(services.NotPermitted):
        services.complaint_investigate(complaint=submit(tree.bureau).complaint, actor=reviewer)


def test_a_supervisor_of_the_routed_agency_may_act(tree):
    supervisor = make_staff(tree.office, Role.SUPERVISOR)
    complaint = services.complaint_investigate(complaint=submit(tree.bureau).complaint, actor=supervisor)
    assert complaint.state == State.INVESTIGATING


def test_a_complaint_is_investigated_before_it_is_answered(tree):
    complaint = submit(tree.bureau).complaint
    with pytest.raises(services.ComplaintError, match="先调查"):
        services.complaint_answer(complaint=complaint, answer="已处理", actor=tree.office_clerk)


def test_a_suggestion_may_be_answered_at_once(tree):
    complaint = submit(tree.bureau, kind=Kind.SUGGESTION, name="", contact="").complaint
    complaint = services.complaint_answer(
        complaint=complaint, answer="感谢您的建议。", actor=tree.bureau_clerk
    )
    assert complaint.state == State.ANSWERED


def test_an_answered_complaint_is_not_answered_again(tree):
    complaint = submit(tree.bureau).complaint
    services.complaint_investigate(complaint=complaint, actor=tree.office_clerk)
    services.complaint_answer(complaint=complaint, answer="已处理", actor=tree.office_clerk)
    with pytest.raises(services.ComplaintError, match="已答复"):
        services.complaint_answer(complaint=complaint, answer="再次答复", actor=tree.office_clerk)


def test_a_stale_version_is_a_conflict(tree):
    complaint = submit(tree.bureau).complaint
    services.complaint_investigate(complaint=complaint, actor=tree.office_clerk)
    with pytest.raises(services.Conflict):
        services.complaint_answer(
            complaint=complaint, answer="已处理", actor=tree.office_head, expected_version=complaint.version
        )


# --- publication -------------------------------------------------------------------------------


def _answered(tree):
    complaint = submit(tree.bureau).complaint
    services.complaint_investigate(complaint=complaint, actor=tree.office_clerk)
    return services.complaint_answer(
        complaint=complaint, answer=f"{NAME}：经调查，已责令整改。", actor=tree.office_clerk
    )


def test_an_answer_is_published_with_its_summary(tree):
    complaint = services.complaint_publish(
        complaint=_answered(tree), public=True, actor=tree.office_clerk,
        public_summary="反映市教育局未主动公开招生计划。", public_answer="经调查，已责令整改。",
    )  # fmt: skip
    assert complaint.answer_public and complaint.published_at is not None
    complaint = services.complaint_publish(complaint=complaint, public=False, actor=tree.office_clerk)
    assert not complaint.answer_public
    assert complaint.public_answer == "经调查，已责令整改。"  # kept for publishing again


@pytest.mark.parametrize(
    "summary, answer",
    [
        ("反映市教育局未主动公开招生计划。", f"{NAME}：经调查，已责令整改。"),  # the complainant's name
        (f"来电{MOBILE}反映招生计划未公开。", "已责令整改。"),  # their contact
        ("反映招生计划未公开。", "请联系经办人，电话13900001111。"),  # anyone's phone number
    ],
)
def test_publication_refuses_personal_data(tree, summary, answer):
    complaint = _answered(tree)
    with pytest.raises(services.ComplaintError, match="个人信息"):
        services.complaint_publish(
            complaint=complaint,
            public=True,
            actor=tree.office_clerk,
            public_summary=summary,
            public_answer=answer,
        )
    complaint.refresh_from_db()
    assert not complaint.answer_public


def test_only_an_answer_is_published_and_only_by_the_routed_agency(tree):
    complaint = submit(tree.bureau).complaint
    with pytest.raises(services.ComplaintError, match="答复后"):
        services.complaint_publish(
            complaint=complaint,
            public=True,
            actor=tree.office_clerk,
            public_summary="摘要",
            public_answer="答复",
        )
    answered = _answered(tree)
    with pytest.raises(services.NotPermitted):
        services.complaint_publish(
            complaint=answered,
            public=True,
            actor=tree.bureau_clerk,
            public_summary="摘要",
            public_answer="答复",
        )


# --- audit -------------------------------------------------------------------------------------


def test_every_state_change_is_audited(tree):
    complaint = _answered(tree)
    services.complaint_publish(
        complaint=complaint,
        public=True,
        actor=tree.office_clerk,
        public_summary="摘要",
        public_answer="已整改。",
    )
    events = list(
        AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk)).order_by(
            "id"
        )
    )
    assert [e.action for e in events] == [
        "complaint_submit", "complaint_investigate", "complaint_answer", "complaint_publish",
    ]  # fmt: skip
    assert events[0].actor_label == "system"
    assert events[2].before["state"] == State.INVESTIGATING and events[2].after["state"] == State.ANSWERED
    assert events[3].after["answer_public"] is True
    assert all(NAME not in str(e.after) and MOBILE not in str(e.after) for e in events)


def test_an_upheld_complaint_counts_against_the_agency_complained_about(tree):
    from ..selectors import upheld_counts

    upheld = submit(tree.bureau).complaint
    services.complaint_investigate(complaint=upheld, actor=tree.office_clerk, note="核查")
    services.complaint_answer(
        complaint=upheld, answer="经查属实，已督促整改。", upheld=True, actor=tree.office_head
    )
    cleared = submit(tree.bureau).complaint
    services.complaint_investigate(complaint=cleared, actor=tree.office_clerk, note="核查")
    services.complaint_answer(complaint=cleared, answer="经查不属实。", upheld=False, actor=tree.office_head)
    today = timezone.localdate()
    assert upheld_counts(agency_ids=[tree.bureau.pk], start=today, end=today) == {tree.bureau.pk: 1}
    assert upheld_counts(agency_ids=[tree.bureau.pk], start=date(2020, 1, 1), end=date(2020, 12, 31)) == {}
