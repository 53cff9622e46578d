"""Proactive disclosure through the review chain: 先审查、后公开, separated duties, settled
findings, real redaction, scheduling, withdrawal and validity changes, clocks."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.catalogue.attachments import attachment_add
from gongkai.catalogue.models import DisclosureAttribute, Validity, Visibility
from gongkai.catalogue.services import DocumentFields
from gongkai.core.models import AuditEvent
from gongkai.publishing.models import FindingDecision, SealedOriginal, Submission, TimelinessFigure
from gongkai.publishing.rules import SHANGHAI, Decision, InfoType, SubmissionKind, SubmissionState
from gongkai.publishing.services import (
    Conflict,
    NotPermitted,
    PublishingError,
    change_propose,
    finding_settle,
    publish_scheduled,
    record_update,
    review_chain_set,
    submission_cancel,
    submission_decide,
    submission_submit,
)
from gongkai.search.indexer import sync_pending
from gongkai.search.services import SearchQuery, search_documents

from .factories import approve_all, draft, make_office, make_staff

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"  # valid checksum and birth date
MOBILE = "13812345678"


def _pdf(text: str) -> bytes:
    """A PDF as office software writes one (embedded font, real text layer)."""
    import pymupdf

    doc = pymupdf.open()
    doc.new_page().insert_text((50, 72), text)
    return doc.tobytes()


@pytest.fixture
def office():
    return make_office()


def test_draft_is_internal_and_carries_the_statutory_clock(office):
    sub = draft(office, written_on=date(2026, 9, 1))
    assert sub.state == SubmissionState.DRAFT
    assert sub.document.visibility == Visibility.INTERNAL and sub.document.index_no is None
    # 20 working days after 2026-09-01 (a Tuesday; no holiday in between) is 2026-09-29.
    assert sub.due_at.astimezone(SHANGHAI).date() == date(2026, 9, 29)
    assert "20个工作日" in sub.due_explanation


def test_default_chain_with_a_return_ends_in_the_public_catalogue_and_search(office):
    sub = draft(office)
    sub = submission_submit(submission=sub, actor=office.clerk, opinion="拟主动公开")
    assert sub.state == SubmissionState.IN_REVIEW and sub.current_step.key == "unit_head"

    sub = submission_decide(submission=sub, actor=office.unit_head, decision=Decision.APPROVE, opinion="同意")
    sub = submission_decide(
        submission=sub, actor=office.office_head, decision=Decision.RETURN, opinion="请补充政策依据"
    )
    assert sub.state == SubmissionState.RETURNED
    assert sub.document.visibility == Visibility.INTERNAL

    fields = DocumentFields(
        title=sub.document.title, body="依据《教育法》，现将有关事项通知如下。", written_on=date(2026, 9, 1)
    )
    sub = record_update(submission=sub, fields=fields, actor=office.clerk, expected_version=sub.version)
    sub = submission_submit(submission=sub, actor=office.clerk, opinion="已补充依据")
    assert sub.round == 2 and sub.current_step.key == "unit_head"  # the whole chain again
    for approver in office.approvers():
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE, opinion="同意")

    sub.refresh_from_db()
    doc = sub.document
    doc.refresh_from_db()
    assert sub.state == SubmissionState.DONE
    assert doc.visibility == Visibility.PUBLIC and doc.index_no and doc.published_on
    history = [(a.round, a.step_key, a.decision) for a in sub.actions.all()]
    assert history == [
        (1, "originator", "submit"),
        (1, "unit_head", "approve"),
        (1, "office_review", "return"),
        (2, "originator", "submit"),
        (2, "unit_head", "approve"),
        (2, "office_review", "approve"),
        (2, "leader_approval", "approve"),
    ]
    sync_pending()
    found = search_documents(SearchQuery(q="教育法"))
    assert [h.document.pk for h in found.hits] == [doc.pk]
    assert AuditEvent.objects.filter(action="submission_decide", object_id=str(sub.pk)).count() == 5


def test_nothing_is_public_before_the_last_step(office):
    sub = submission_submit(submission=draft(office), actor=office.clerk)
    for approver in office.approvers()[:-1]:
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
        sub.document.refresh_from_db()
        assert sub.document.visibility == Visibility.INTERNAL


def test_separated_duties(office, django_user_model):
    sub = submission_submit(submission=draft(office), actor=office.clerk)
    # The drafter cannot approve, even holding the reviewer role.
    from gongkai.agencies.models import StaffRole

    StaffRole.objects.create(user=office.clerk, agency=office.agency, role=Role.REVIEWER)
    with pytest.raises(NotPermitted):
        submission_decide(submission=sub, actor=office.clerk, decision=Decision.APPROVE)
    # A superuser without a role on the agency does not approve publications.
    root = django_user_model.objects.create_superuser("root", password="Pw-Example-2026")
    with pytest.raises(NotPermitted):
        submission_decide(submission=sub, actor=root, decision=Decision.APPROVE)
    # A reviewer of another agency cannot act here.
    other = make_office("江州市财政局")
    with pytest.raises(NotPermitted):
        submission_decide(submission=sub, actor=other.unit_head, decision=Decision.APPROVE)
    # Someone holding two roles approves only one step per round.
    both = make_staff(office.agency, Role.REVIEWER, Role.OFFICE_HEAD)
    sub = submission_decide(submission=sub, actor=both, decision=Decision.APPROVE)
    with pytest.raises(NotPermitted):
        submission_decide(submission=sub, actor=both, decision=Decision.APPROVE)
    # The wrong role for the step is refused.
    with pytest.raises(NotPermitted):
        submission_decide(submission=sub, actor=office.leader, decision=Decision.APPROVE)


def test_two_reviewers_on_one_step_one_wins(office):
    sub = submission_submit(submission=draft(office), actor=office.clerk)
    second = make_staff(office.agency, Role.REVIEWER)
    shown = sub.version  # both opened the page at this version
    submission_decide(
        submission=sub, actor=office.unit_head, decision=Decision.APPROVE, expected_version=shown
    )
    with pytest.raises(Conflict):
        submission_decide(
            submission=sub, actor=second, decision=Decision.RETURN, opinion="不同意", expected_version=shown
        )
    sub.refresh_from_db()
    assert sub.current_step.key == "office_review"
    assert sub.actions.filter(decision=Decision.RETURN).count() == 0


def test_return_needs_reasons(office):
    sub = submission_submit(submission=draft(office), actor=office.clerk)
    with pytest.raises(PublishingError, match="理由"):
        submission_decide(submission=sub, actor=office.unit_head, decision=Decision.RETURN, opinion=" ")


def test_findings_must_be_settled_and_redaction_removes_the_data(office):
    body = f"经核查，申请人张三（身份证号{ID_NUMBER}，联系电话{MOBILE}）反映的问题属实。"
    sub = submission_submit(submission=draft(office, body=body), actor=office.clerk)
    kinds = sorted(f.kind for f in sub.findings.all())
    assert "id_number" in kinds and "mobile" in kinds
    assert all(ID_NUMBER not in f.excerpt for f in sub.findings.all())  # excerpts are masked
    sub = submission_decide(submission=sub, actor=office.unit_head, decision=Decision.APPROVE)
    with pytest.raises(PublishingError, match="扫描发现"):
        submission_decide(submission=sub, actor=office.office_head, decision=Decision.APPROVE)
    for finding in sub.findings.all():
        if finding.kind == "mobile":
            with pytest.raises(PublishingError, match="理由"):
                finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.KEEP)
        finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    sub.refresh_from_db()
    sub = submission_decide(submission=sub, actor=office.office_head, decision=Decision.APPROVE)
    sub = submission_decide(submission=sub, actor=office.leader, decision=Decision.APPROVE)
    doc = sub.document
    doc.refresh_from_db()
    assert doc.visibility == Visibility.PUBLIC
    assert ID_NUMBER not in doc.body and MOBILE not in doc.body and "反映的问题属实" in doc.body
    assert sub.original_text["body"] == body  # the original stays internal
    sync_pending()
    assert search_documents(SearchQuery(q=MOBILE)).count == 0


def test_settled_findings_survive_a_return(office):
    sub = submission_submit(submission=draft(office, body=f"联系电话{MOBILE}。"), actor=office.clerk)
    sub = submission_decide(submission=sub, actor=office.unit_head, decision=Decision.APPROVE)
    finding = sub.findings.get()
    finding_settle(
        finding=finding,
        actor=office.office_head,
        decision=FindingDecision.KEEP,
        reason="单位办公电话，应当公开",
    )
    sub.refresh_from_db()
    sub = submission_decide(
        submission=sub, actor=office.office_head, decision=Decision.RETURN, opinion="标题不规范"
    )
    sub = submission_submit(submission=sub, actor=office.clerk)
    assert sub.findings.get().decision == FindingDecision.KEEP


def test_attachment_redaction_replaces_the_public_file_and_seals_the_original(office):
    sub = draft(office, body="详见附件。")
    attachment_add(
        document=sub.document,
        data=_pdf("Contact mobile 13812345678 for details."),
        filename="名单.pdf",
        actor=office.clerk,
    )
    sub = submission_submit(submission=sub, actor=office.clerk)
    finding = sub.findings.get(kind="mobile")
    assert finding.attachment is not None
    sub = submission_decide(submission=sub, actor=office.unit_head, decision=Decision.APPROVE)
    finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    sub.refresh_from_db()
    sub = submission_decide(submission=sub, actor=office.office_head, decision=Decision.APPROVE)
    sub = submission_decide(submission=sub, actor=office.leader, decision=Decision.APPROVE)
    attachment = sub.document.attachments.get()
    assert MOBILE not in attachment.text and "details" in attachment.text
    with attachment.file.open("rb") as fh:
        public_bytes = fh.read()
    import io

    from pypdf import PdfReader

    assert MOBILE not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(public_bytes)).pages)
    sealed = SealedOriginal.objects.get(submission=sub)
    assert not sealed.file.name.startswith("attachments/")
    with sealed.file.open("rb") as fh:
        assert MOBILE in "".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)


def test_unscannable_attachment_is_refused_with_the_reason(office):
    sub = draft(office)
    attachment = attachment_add(
        document=sub.document, data=_pdf("Annex"), filename="a.pdf", actor=office.clerk
    )
    with open(attachment.file.path, "wb") as fh:  # the stored file got damaged
        fh.write(b"%PDF-1.7\n garbage")
    with pytest.raises(PublishingError, match="无法扫描"):
        submission_submit(submission=sub, actor=office.clerk)
    sub.refresh_from_db()
    assert sub.state == SubmissionState.DRAFT


def test_scheduled_publication(office):
    sub = draft(office)
    at = timezone.now() + timedelta(hours=2)
    sub = submission_submit(submission=sub, actor=office.clerk, publish_at=at)
    for approver in office.approvers():
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
    assert sub.state == SubmissionState.SCHEDULED
    assert publish_scheduled(now=timezone.now()) == []
    sub.document.refresh_from_db()
    assert sub.document.visibility == Visibility.INTERNAL
    assert publish_scheduled(now=at + timedelta(seconds=1)) == [sub.pk]
    sub.refresh_from_db()
    sub.document.refresh_from_db()
    assert sub.state == SubmissionState.DONE and sub.document.visibility == Visibility.PUBLIC
    assert publish_scheduled(now=at + timedelta(minutes=5)) == []  # idempotent


def test_scheduled_publication_can_be_cancelled_by_the_office(office):
    sub = draft(office)
    sub = submission_submit(submission=sub, actor=office.clerk, publish_at=timezone.now() + timedelta(days=1))
    for approver in office.approvers():
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
    with pytest.raises(NotPermitted):
        submission_cancel(submission=sub, actor=office.clerk, reason="x")
    sub = submission_cancel(submission=sub, actor=office.office_head, reason="政策调整，暂缓发布")
    assert sub.state == SubmissionState.CANCELLED
    assert publish_scheduled(now=timezone.now() + timedelta(days=2)) == []


def test_withdrawal_goes_through_review_and_keeps_the_record_internal(office):
    doc = approve_all(office, draft(office)).document
    doc.refresh_from_db()
    sub = change_propose(
        document=doc, kind=SubmissionKind.WITHDRAW, actor=office.clerk, reason="内容有误，需撤回"
    )
    doc.refresh_from_db()
    assert doc.visibility == Visibility.PUBLIC  # not before review
    for approver in office.approvers():
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
    doc.refresh_from_db()
    assert doc.visibility == Visibility.WITHDRAWN and doc.withdrawn_reason == "内容有误，需撤回"
    assert doc.index_no  # keeps its number in the internal catalogue
    assert AuditEvent.objects.filter(action="document_withdraw", object_id=str(doc.pk)).exists()


def test_validity_change_links_the_replacement(office):
    old = approve_all(office, draft(office, title="旧办法")).document
    new = approve_all(office, draft(office, title="新办法")).document
    old.refresh_from_db()
    new.refresh_from_db()
    sub = change_propose(
        document=old,
        kind=SubmissionKind.VALIDITY,
        actor=office.clerk,
        reason="已被新办法废止",
        validity=Validity.REPEALED,
        replaced_by=new,
    )
    for approver in office.approvers():
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED and old.replaced_by_id == new.pk
    with pytest.raises(PublishingError):
        change_propose(
            document=old,
            kind=SubmissionKind.VALIDITY,
            actor=office.clerk,
            reason="x",
            validity=Validity.REPEALED,
        )


def test_clarification_is_linked_to_what_it_corrects(office):
    original = approve_all(office, draft(office, title="关于某事项的通报")).document
    original.refresh_from_db()
    sub = approve_all(office, draft(office, title="关于某事项的澄清说明", clarifies=original))
    assert sub.document.clarifies_id == original.pk
    assert list(original.clarifications.all()) == [sub.document]


def test_non_proactive_record_needs_a_ground_and_stays_internal(office):
    with pytest.raises(PublishingError, match="理由"):
        draft(office, disclosure_attribute=DisclosureAttribute.NOT_DISCLOSED)
    sub = draft(
        office, disclosure_attribute=DisclosureAttribute.NOT_DISCLOSED, non_disclosure_ground="process_info"
    )
    assert sub.due_at is None  # no publication clock
    sub = approve_all(office, sub)
    sub.document.refresh_from_db()
    assert sub.state == SubmissionState.DONE and sub.document.visibility == Visibility.INTERNAL


def test_referral_to_the_secrecy_bureau_adds_a_step(office):
    sub = submission_submit(submission=draft(office), actor=office.clerk)
    sub = submission_decide(submission=sub, actor=office.unit_head, decision=Decision.APPROVE)
    sub = submission_decide(
        submission=sub, actor=office.office_head, decision=Decision.REFER, opinion="涉及敏感内容"
    )
    assert sub.current_step.key == "secrecy_bureau"
    sub = submission_decide(
        submission=sub, actor=office.office_head, decision=Decision.APPROVE, opinion="保密局复函：不涉密"
    )
    assert sub.current_step.key == "office_review"  # the office now gives its own opinion
    sub = submission_decide(
        submission=sub, actor=office.office_head, decision=Decision.APPROVE, opinion="同意公开"
    )
    assert sub.current_step.key == "leader_approval"
    assert [a.step_key for a in sub.actions.all()] == [
        "originator",
        "unit_head",
        "office_review",
        "secrecy_bureau",
        "office_review",
    ]


def test_configured_chain_and_deadline_rules(office, django_user_model):
    from gongkai.publishing.models import DeadlineRule

    admin = make_staff(office.agency, Role.ADMINISTRATOR)
    review_chain_set(
        agency=office.agency,
        steps=[{"key": "office_review", "label": "公开办审查", "role": Role.OFFICE_HEAD}],
        actor=admin,
    )
    with pytest.raises(PublishingError):
        review_chain_set(
            agency=office.agency, steps=[{"key": "x", "label": "y", "role": Role.CLERK}], actor=admin
        )
    with pytest.raises(NotPermitted):
        review_chain_set(agency=office.agency, steps=[], actor=office.clerk)
    DeadlineRule.objects.create(agency=office.agency, info_type=InfoType.DOCUMENT, amount=3)
    DeadlineRule.objects.create(agency=None, info_type=InfoType.MEETING, amount=24, unit="hours")
    sub = draft(office, written_on=date(2026, 9, 30))
    # 3 working days after 2026-09-30 skip the National Day holiday (10-01 to 10-07 in 2026).
    assert sub.due_at.astimezone(SHANGHAI).date() > date(2026, 10, 7)
    meeting_at = datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)
    meeting = draft(office, title="常务会议内容", info_type=InfoType.MEETING, formed_at=meeting_at)
    assert meeting.due_at == meeting_at + timedelta(hours=24)
    sub = submission_submit(submission=sub, actor=office.clerk)
    assert [s.key for s in sub.steps] == ["originator", "office_review"]
    sub = submission_decide(submission=sub, actor=office.office_head, decision=Decision.APPROVE)
    assert sub.state == SubmissionState.DONE


def test_timeliness_figures_count_on_time_and_late(office):
    late = draft(office, written_on=date(2020, 1, 2))  # long overdue
    assert late.is_overdue()
    approve_all(office, late)
    approve_all(office, draft(office, written_on=timezone.localdate()))
    month = timezone.localdate().replace(day=1)
    figure = TimelinessFigure.objects.get(agency=office.agency, month=month)
    assert (figure.on_time, figure.late) == (1, 1) and figure.days_late > 2000


def test_one_open_submission_per_document(office):
    doc = approve_all(office, draft(office)).document
    doc.refresh_from_db()
    change_propose(document=doc, kind=SubmissionKind.WITHDRAW, actor=office.clerk, reason="撤回")
    with pytest.raises(PublishingError, match="正在办理"):
        change_propose(document=doc, kind=SubmissionKind.WITHDRAW, actor=office.clerk, reason="再次撤回")
    assert Submission.objects.filter(document=doc).count() == 2
