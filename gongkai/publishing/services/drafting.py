"""Drafting: a record and its submission, edits and attachments before review, and proposals to
withdraw a published record or change its validity.
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.catalogue.attachments import attachment_add, attachment_remove
from gongkai.catalogue.models import DisclosureAttribute, Document, Validity, Visibility
from gongkai.catalogue.services import (
    CatalogueError,
    DocumentFields,
    document_create,
    document_set_clarifies,
    document_set_disclosure,
    document_update,
)

from .. import permissions
from ..models import Submission
from ..rules import InfoType, SubmissionKind
from .base import PublishingError, _lock, _require, _save, _snapshot
from .chains import _check_attribute, _set_clock
from .review import submission_submit


@transaction.atomic
def record_draft(
    *,
    agency: Agency,
    fields: DocumentFields,
    actor,
    disclosure_attribute: str = DisclosureAttribute.PROACTIVE,
    non_disclosure_ground: str = "",
    info_type: str = InfoType.DOCUMENT,
    formed_at: datetime | None = None,
    clarifies: Document | None = None,
) -> Submission:
    """Draft a record: the document (internal until published) and its submission, with the
    publication clock running from its formation (成文/形成日期)."""
    _require(permissions.can_record_draft(actor, agency))
    _check_attribute(disclosure_attribute, non_disclosure_ground)
    if clarifies is not None and (
        clarifies.agency_id != agency.pk or clarifies.visibility != Visibility.PUBLIC
    ):
        raise PublishingError(_("只能澄清本机关已公开的信息。"))
    try:
        document = document_create(agency=agency, fields=fields, actor=actor)
        document_set_disclosure(
            document=document, attribute=disclosure_attribute, ground=non_disclosure_ground, actor=actor
        )
        if clarifies is not None:
            document_set_clarifies(document=document, clarifies=clarifies, actor=actor)
    except CatalogueError as exc:
        raise PublishingError(str(exc)) from exc
    submission = Submission(
        agency=agency,
        document=document,
        kind=SubmissionKind.PUBLISH,
        info_type=info_type,
        formed_at=formed_at,
        created_by=actor,
    )
    _set_clock(submission, document)
    return _save(submission, actor, "record_draft", {})


@transaction.atomic
def record_update(
    *,
    submission: Submission,
    fields: DocumentFields,
    actor,
    expected_version: int | None = None,
    disclosure_attribute: str | None = None,
    non_disclosure_ground: str = "",
    info_type: str | None = None,
    formed_at: datetime | None = None,
) -> Submission:
    """Edit a draft or returned record. A changed formation date restarts its clock."""
    submission = _lock(submission, expected_version)
    _require(permissions.can_record_update(actor, submission))
    if submission.kind != SubmissionKind.PUBLISH:
        raise PublishingError(_("撤回或有效性变更事项不能修改文件内容。"))
    before = _snapshot(submission)
    document = submission.document
    attribute = disclosure_attribute or document.disclosure_attribute
    _check_attribute(
        attribute, non_disclosure_ground if disclosure_attribute else document.non_disclosure_ground
    )
    document_update(document=document, fields=fields, actor=actor)
    if disclosure_attribute:
        document_set_disclosure(
            document=document, attribute=attribute, ground=non_disclosure_ground, actor=actor
        )
    if info_type:
        submission.info_type = info_type
    submission.formed_at = formed_at  # None: formed on the written-on date
    _set_clock(submission, document)
    return _save(submission, actor, "record_update", before)


@transaction.atomic
def record_attachment_add(*, submission: Submission, data, filename: str, title: str = "", actor):
    """Attach a file to a draft or returned record (never to one already in review).
    Raises AttachmentError with the reason when the file is refused."""
    submission = _lock(submission, None)
    _require(submission.kind == SubmissionKind.PUBLISH and permissions.can_record_update(actor, submission))
    attachment = attachment_add(
        document=submission.document, data=data, filename=filename, title=title, actor=actor
    )
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])
    return attachment


@transaction.atomic
def record_attachment_remove(*, submission: Submission, attachment_id: int, actor) -> None:
    """Remove an attachment from a draft or returned record."""
    submission = _lock(submission, None)
    _require(submission.kind == SubmissionKind.PUBLISH and permissions.can_record_update(actor, submission))
    attachment = submission.document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise PublishingError(_("附件不存在。"))
    attachment_remove(attachment=attachment, actor=actor)
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])


@transaction.atomic
def change_propose(
    *,
    document: Document,
    kind: str,
    actor,
    reason: str,
    validity: str = "",
    replaced_by: Document | None = None,
) -> Submission:
    """Propose withdrawing a published record or changing its validity; the proposal is the
    originator's opinion and goes straight into review."""
    _require(permissions.can_change_propose(actor, document))
    if document.visibility != Visibility.PUBLIC:
        raise PublishingError(_("只有已公开的信息可以撤回或变更有效性。"))
    if not reason.strip():
        raise PublishingError(_("请填写事由。"))
    payload: dict = {}
    if kind == SubmissionKind.VALIDITY:
        if validity not in Validity.values or validity == document.validity:
            raise PublishingError(_("请选择新的有效性。"))
        if replaced_by is not None and (
            replaced_by.pk == document.pk or replaced_by.visibility != Visibility.PUBLIC
        ):
            raise PublishingError(_("替代文件必须是另一份已公开的文件。"))
        payload = {"validity": validity, "replaced_by": replaced_by.pk if replaced_by else None}
    elif kind != SubmissionKind.WITHDRAW:
        raise PublishingError(_("未知的事项。"))
    if Submission.objects.open().filter(document=document).exists():
        raise PublishingError(_("该信息已有正在办理的事项，请先办结。"))
    submission = Submission(
        agency=document.agency,
        document=document,
        kind=kind,
        payload=payload,
        reason=reason.strip(),
        created_by=actor,
    )
    _save(submission, actor, "change_propose", {})
    return submission_submit(submission=submission, actor=actor, opinion=reason)
