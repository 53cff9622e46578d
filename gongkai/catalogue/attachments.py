"""Attachments (附件): stored under generated names, in step with the database transaction.

Checks and text extraction are in uploads.py. Files follow the transaction:
- the file is written just before its row; if writing the row fails, the file is deleted;
- the file of a removed attachment is deleted after the commit;
- whatever escapes both (an enclosing transaction rolled back later, a process killed between
  the write and the commit, a delete that failed) is an orphan: a file under ``attachments/``
  that no row names. ``attachment_sweep_orphans()`` (``gongkai sweep-attachments``) deletes
  orphans older than a grace period that keeps the files of transactions still running; run it
  daily (cron or a systemd timer).
"""

import logging
import uuid
from datetime import datetime, timedelta
from typing import BinaryIO

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.files.kinds import AttachmentError

from .changes import documents_changed
from .models import Attachment, Document
from .uploads import InspectedUpload, upload_inspect

__all__ = [
    "AttachmentError",
    "InspectedUpload",
    "attachment_add",
    "attachment_add_inspected",
    "attachment_remove",
    "attachment_replace_content",
    "attachment_sweep_orphans",
    "upload_inspect",
]

log = logging.getLogger(__name__)

ATTACHMENT_DIR = "attachments"
ORPHAN_GRACE = timedelta(days=1)


def _snapshot(attachment: Attachment) -> dict:
    return {
        "document": attachment.document_id,
        "title": attachment.title,
        "original_name": attachment.original_name,
        "storage_name": attachment.storage_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "text_chars": len(attachment.text),
    }


def attachment_add_inspected(
    *, document: Document, upload: InspectedUpload, title: str = "", actor=None
) -> Attachment:
    """Store an inspected upload as an attachment of ``document`` (see ``attachment_add``)."""
    duplicate = document.attachments.filter(sha256=upload.sha256).first()
    if duplicate is not None:
        raise AttachmentError(_("该文件已是本文件的附件（“%(title)s”）。") % {"title": duplicate.title})
    storage_name = uuid.uuid4().hex + upload.extension
    stem = upload.original_name[: -len(upload.extension)] if upload.extension else upload.original_name
    attachment = Attachment(
        document=document,
        title=(title.strip() or stem or storage_name)[:300],
        original_name=upload.original_name,
        storage_name=storage_name,
        content_type=upload.kind.content_type,
        size=upload.size,
        sha256=upload.sha256,
        text=upload.text,
    )
    with upload.open() as fh:  # copied in chunks, never whole in memory
        attachment.file.save(storage_name, File(fh), save=False)
    try:
        with transaction.atomic():
            attachment.sort_order = (document.attachments.aggregate(m=Max("sort_order"))["m"] or 0) + 1
            attachment.save()
            after = _snapshot(attachment) | {"text_truncated": upload.text_truncated}
            audit_record(actor=actor, action="attachment_add", obj=attachment, after=after)
            documents_changed([document.pk])
    except BaseException:
        # Our own write failed: the file has no row. (If an enclosing transaction rolls back
        # later, the file becomes an orphan for attachment_sweep_orphans.)
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_add(
    *, document: Document, data: bytes | BinaryIO, filename: str, title: str = "", actor=None
) -> Attachment:
    """Attach a file to a document: checks size and type by content, refuses bombs, stores it
    under a random name, extracts its text and queues the document for the search index.
    The uploaded name is kept as metadata only. Raises AttachmentError with the reason."""
    upload = upload_inspect(data=data, filename=filename)
    return attachment_add_inspected(document=document, upload=upload, title=title, actor=actor)


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor=None) -> None:
    """Remove an attachment; its file is deleted once the removal commits."""
    storage, name, document_id = attachment.file.storage, attachment.file.name, attachment.document_id
    audit_record(actor=actor, action="attachment_remove", obj=attachment, before=_snapshot(attachment))
    attachment.delete()
    documents_changed([document_id])
    transaction.on_commit(lambda: storage.delete(name), robust=True)


def attachment_sweep_orphans(
    *, older_than: timedelta = ORPHAN_GRACE, now: datetime | None = None
) -> list[str]:
    """Delete stored files that no attachment names and that are older than ``older_than``
    (the grace keeps files of transactions still running). Returns the deleted names."""
    storage = Attachment._meta.get_field("file").storage
    try:
        _, files = storage.listdir(ATTACHMENT_DIR)
    except FileNotFoundError:
        return []
    cutoff = (now or timezone.now()) - older_than
    known: set[str] = set()
    for i in range(0, len(files), 500):
        chunk = files[i : i + 500]
        known.update(Attachment.objects.filter(storage_name__in=chunk).values_list("storage_name", flat=True))
    removed = []
    for name in files:
        path = f"{ATTACHMENT_DIR}/{name}"
        if name in known or storage.get_modified_time(path) > cutoff:
            continue
        storage.delete(path)
        removed.append(path)
    return removed


def attachment_replace_content(*, attachment: Attachment, data: bytes, actor=None) -> Attachment:
    """Replace an attachment's file with new content of the same kind (a redacted version):
    inspected like an upload, stored under a new name, text re-extracted; the old file is
    deleted once the change commits."""
    upload = upload_inspect(data=data, filename=attachment.original_name)
    if upload.kind.content_type != attachment.content_type:
        raise AttachmentError(_("替换文件的类型与原附件不一致。"))
    before = _snapshot(attachment)
    old_storage, old_name = attachment.file.storage, attachment.file.name
    storage_name = uuid.uuid4().hex + upload.extension
    with upload.open() as fh:
        attachment.file.save(storage_name, File(fh), save=False)
    try:
        with transaction.atomic():
            attachment.storage_name = storage_name
            attachment.size = upload.size
            attachment.sha256 = upload.sha256
            attachment.text = upload.text
            attachment.save()
            audit_record(
                actor=actor,
                action="attachment_replace_content",
                obj=attachment,
                before=before,
                after=_snapshot(attachment),
            )
            documents_changed([attachment.document_id])
            transaction.on_commit(lambda: old_storage.delete(old_name), robust=True)
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment
