"""Anonymising complaints after the retention period: only answered ones past the period; the
complainant's name and contact go, the facts the assessment counts stay."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.assessment.facts import facts_for
from gongkai.assessment.scoring import period_parse
from gongkai.core.audit import audit_verify
from gongkai.core.models import AuditEvent
from gongkai.core.retention import ANONYMISED, SCRUBBED, retention_cutoff

from .. import retention, selectors, services
from ..models import Complaint
from ..rules import Kind, State
from .factories import MOBILE, NAME, make_tree, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


def answered(tree, **overrides) -> Complaint:
    """A complaint investigated, upheld and answered today."""
    submitted = submit(tree.bureau, content=f"教育局未公开招生计划，请回电{MOBILE}。", **overrides)
    complaint = services.complaint_investigate(
        complaint=submitted.complaint, actor=tree.office_clerk, note=f"已电话联系{NAME}"
    )
    return services.complaint_answer(
        complaint=complaint,
        answer=f"{NAME}您好：经查属实，已责令改正。",
        upheld=True,
        actor=tree.office_clerk,
    )


def cutoff_after(complaint: Complaint, days: int = 1):
    answered_on = timezone.localdate(complaint.answered_at)
    return retention_cutoff(today=answered_on.replace(year=answered_on.year + 5) + timedelta(days=days))


def test_an_answered_complaint_is_kept_until_its_retention_period_has_passed(tree):
    complaint = answered(tree)
    assert retention.complaints_anonymise(cutoff=cutoff_after(complaint, days=0)).records == []
    assert retention.complaints_anonymise(cutoff=cutoff_after(complaint)).records == [complaint.tracking_no]


def test_anonymising_removes_the_complainant_and_keeps_the_facts(tree):
    complaint = answered(tree)
    facts = {f: getattr(complaint, f) for f in ("kind", "agency_id", "routed_to_id", "received_at", "due_on",
                                                "state", "upheld", "answered_at", "answered_by_id")}  # fmt: skip
    retention.complaints_anonymise(cutoff=cutoff_after(complaint))
    complaint.refresh_from_db()
    assert (complaint.name, complaint.contact, complaint.client_ip) == (ANONYMISED, ANONYMISED, None)
    assert complaint.content == f"教育局未公开招生计划，请回电{SCRUBBED}。"
    assert complaint.answer == f"{SCRUBBED}您好：经查属实，已责令改正。"
    assert NAME not in complaint.investigation_note
    assert {f: getattr(complaint, f) for f in facts} == facts
    assert selectors.masked_name(complaint.name) == ANONYMISED  # staff pages show the marker
    assert selectors.masked_contact(complaint.contact) == ANONYMISED


def test_the_complainant_can_no_longer_look_it_up(tree):
    submitted = submit(tree.bureau, kind=Kind.SUGGESTION)
    complaint = services.complaint_answer(
        complaint=submitted.complaint, answer="感谢建议。", actor=tree.bureau_clerk
    )
    retention.complaints_anonymise(cutoff=cutoff_after(complaint))
    assert services.complaint_find(tracking_no=complaint.tracking_no, query_code=submitted.query_code) is None


def test_open_complaints_are_never_anonymised(tree):
    received = submit(tree.bureau).complaint
    services.complaint_investigate(complaint=submit(tree.bureau, contact="13900000000").complaint,
                                   actor=tree.office_clerk)  # fmt: skip
    Complaint.objects.update(received_at=received.received_at - timedelta(days=3650))
    assert retention.complaints_anonymise(cutoff=timezone.localdate() + timedelta(days=3650)).records == []
    assert not Complaint.objects.filter(anonymised_at__isnull=False).exists()


def test_dry_run_lists_and_changes_nothing(tree):
    complaint = answered(tree)
    before, events = list(Complaint.objects.values()), AuditEvent.objects.count()
    result = retention.complaints_anonymise(cutoff=cutoff_after(complaint), dry_run=True)
    assert result.records == [complaint.tracking_no]
    assert list(Complaint.objects.values()) == before and AuditEvent.objects.count() == events


def test_a_second_run_changes_nothing_and_the_audit_chain_holds(tree):
    complaint = answered(tree)
    cutoff = cutoff_after(complaint)
    retention.complaints_anonymise(cutoff=cutoff)
    after, events = list(Complaint.objects.values()), AuditEvent.objects.count()
    assert retention.complaints_anonymise(cutoff=cutoff).records == []
    assert list(Complaint.objects.values()) == after and AuditEvent.objects.count() == events
    event = AuditEvent.objects.get(action="complaint_anonymise")
    assert event.object_id == str(complaint.pk) and audit_verify() == []
    trail = json.dumps(list(AuditEvent.objects.values("before", "after")), ensure_ascii=False)
    assert NAME not in trail and MOBILE not in trail


def test_the_assessment_counts_the_same_before_and_after(tree):
    complaint = answered(tree)
    period, far = period_parse(str(timezone.localdate().year)), timezone.localdate() + timedelta(days=3650)
    agencies = [tree.bureau.pk, tree.office.pk]
    before = facts_for(agencies, period, today=far)
    retention.complaints_anonymise(cutoff=cutoff_after(complaint))
    assert facts_for(agencies, period, today=far) == before


def test_only_the_command_or_an_administrator_may_anonymise(tree):
    complaint = answered(tree)
    with pytest.raises(services.NotPermitted):
        retention.complaints_anonymise(cutoff=cutoff_after(complaint), actor=tree.office_head)
    with pytest.raises(services.ComplaintError):
        retention.complaint_anonymise(complaint=complaint, cutoff=cutoff_after(complaint, days=-1))
    assert Complaint.objects.get(pk=complaint.pk).state == State.ANSWERED
