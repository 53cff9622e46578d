"""State changes of the catalogue: one entry point each (STYLE.md, habit 3)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core.audit import audit_chain_lock, audit_record
from gongkai.search.changelog import mark_stale

from .models import Document, DocumentImport, IndexSequence, Validity, Visibility


class CatalogueError(Exception):
    """A user error in a catalogue action; the message says what to fix."""


def index_number_format(*, agency: Agency, year: int, seq: int) -> str:
    """Index number in the configured format (catalogue.md: ``{code}/{year}-{seq:05d}``)."""
    return settings.GONGKAI_INDEX_NUMBER_FORMAT.format(code=agency.code, year=year, seq=seq)


@transaction.atomic
def index_number_allocate(*, agency: Agency, year: int) -> str:
    """Next index number of ``agency`` for ``year``. Runs in the caller's transaction: if that
    rolls back, the number is returned to the sequence, so numbers stay gap-free."""
    IndexSequence.objects.get_or_create(agency=agency, year=year)
    # The UPDATE takes the row lock (PostgreSQL) or the database write lock (SQLite,
    # IMMEDIATE transactions), so concurrent publishers queue here.
    IndexSequence.objects.filter(agency=agency, year=year).update(last=F("last") + 1)
    seq = IndexSequence.objects.get(agency=agency, year=year).last
    return index_number_format(agency=agency, year=year, seq=seq)


def _snapshot(doc: Document) -> dict:
    return {
        "index_no": doc.index_no,
        "title": doc.title,
        "doc_no": doc.doc_no,
        "written_on": doc.written_on.isoformat() if doc.written_on else None,
        "published_on": doc.published_on.isoformat() if doc.published_on else None,
        "validity": doc.validity,
        "visibility": doc.visibility,
        "subject": doc.subject_id,
        "genre": doc.genre_id,
        "replaced_by": doc.replaced_by_id,
        "clarifies": doc.clarifies_id,
        "withdrawn_reason": doc.withdrawn_reason,
    }


@dataclass(frozen=True)
class DocumentFields:
    """Editable metadata of a document (everything but identity, index number and state)."""

    title: str
    written_on: date
    body: str = ""
    doc_no: str = ""
    summary: str = ""
    keywords: str = ""
    subject_id: int | None = None
    genre_id: int | None = None
    validity: str = Validity.IN_FORCE
    effective_on: date | None = None
    expires_on: date | None = None
    written_on_precision: str = "day"
    source_url: str = ""


@transaction.atomic
def document_create(
    *, agency: Agency, fields: DocumentFields, actor=None, imported: DocumentImport | None = None
) -> Document:
    """Create a catalogue item (internal until published); ``imported`` marks one that an
    import run brings in."""
    if not fields.title.strip():
        raise CatalogueError("标题不能为空。")
    if imported is not None and imported.agency_id != agency.pk:
        raise CatalogueError("导入记录与该信息的发布机关不符。")
    doc = Document.objects.create(agency=agency, imported_from=imported, **fields.__dict__)
    audit_record(actor=actor, action="document_create", obj=doc, after=_snapshot(doc))
    mark_stale([doc.pk])
    return doc


def _review_problem(document: Document, approval) -> str | None:
    # publishing builds on the catalogue, so its check is imported when it is needed.
    from gongkai.publishing.approval import approval_problem

    return approval_problem(approval, document)


def _import_problem(document: Document, imported: DocumentImport) -> str | None:
    from gongkai.publishing.approval import under_review

    if not isinstance(imported, DocumentImport) or imported.pk is None:
        return "没有导入记录。"
    if imported.agency_id != document.agency_id:
        return "导入记录与该信息的发布机关不符。"
    if under_review(document):
        return "该信息属于送审流程，只能经审查后公开或修改。"
    return None


def is_locked(document: Document) -> bool:
    """Whether the document's content may change only through a review (or a re-import of an
    imported document): it is or was public, or it came in through an import."""
    return document.visibility != Visibility.INTERNAL or document.imported_from_id is not None


@transaction.atomic
def document_import_begin(*, agency: Agency, actor=None, file_name: str = "", sha256: str) -> DocumentImport:
    """Record an import run (who, when, which file and its SHA-256); the documents it writes
    carry it as their proof of origin."""
    run = DocumentImport.objects.create(
        agency=agency,
        imported_by=actor if getattr(actor, "pk", None) else None,
        imported_by_label=actor.get_username() if getattr(actor, "pk", None) else "system",
        file_name=file_name[:500],
        sha256=sha256,
    )
    audit_record(
        actor=actor,
        action="document_import",
        obj=run,
        after={"agency": agency.pk, "file_name": run.file_name, "sha256": sha256},
    )
    return run


@transaction.atomic
def document_update(
    *,
    document: Document,
    fields: DocumentFields,
    actor=None,
    approval=None,
    imported: DocumentImport | None = None,
) -> Document:
    """Change a document's metadata; its index number never changes. A document that is or
    was public, or was imported, changes only with proof: the ``approval`` (a Submission that
    passed the review chain) or the ``imported`` run that brings a newer version of it."""
    # The stored row decides (under its lock), not what the caller's instance says.
    stored = Document.objects.select_for_update().get(pk=document.pk)
    if imported is not None:
        problem = _import_problem(stored, imported)
    elif approval is not None:
        problem = _review_problem(stored, approval)
    else:
        problem = "已公开、已撤回或导入的信息只能通过送审修改。" if is_locked(stored) else None
    if problem:
        raise CatalogueError(problem)
    before = _snapshot(document)
    for name, value in fields.__dict__.items():
        setattr(document, name, value)
    if imported is not None:
        document.imported_from = imported
    document.save()
    audit_record(
        actor=actor, action="document_update", obj=document, before=before, after=_snapshot(document)
    )
    mark_stale([document.pk])
    return document


@transaction.atomic
def document_publish(
    *,
    document: Document,
    actor=None,
    published_on: date | None = None,
    approval=None,
    imported: DocumentImport | None = None,
) -> Document:
    """Put a document in the public catalogue: fixes its index number (kept if it has one)
    and its publication date, and queues it for the search index and feeds.

    Only with proof, whoever calls: ``approval``, the Submission whose review chain approved
    it (pre-scan findings settled; publishing.approval checks the stored rows), or
    ``imported``, the import run that brought in this already-public historical document.
    """
    # The audit chain's lock before the index sequence's row lock, as in every transaction
    # (another order could deadlock with a publication that audited a redaction first).
    audit_chain_lock()
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.visibility == Visibility.PUBLIC:
        raise CatalogueError("该信息已公开。")
    if approval is not None:
        problem = _review_problem(document, approval)
    elif imported is not None:
        problem = _import_problem(document, imported)
        if problem is None and document.imported_from_id != imported.pk:
            problem = "只能公开本次导入的文件。"
    else:
        problem = "未经审查，不能公开。"
    if problem:
        raise CatalogueError(f"不能公开：{problem}")
    before = _snapshot(document)
    if not document.index_no:
        document.index_no = index_number_allocate(agency=document.agency, year=document.written_on.year)
    document.published_on = published_on or document.published_on or timezone.localdate()
    document.visibility = Visibility.PUBLIC
    document.save(update_fields=["index_no", "published_on", "visibility", "updated_at"])
    through = f"submission:{approval.pk}" if approval is not None else f"import:{imported.pk}"
    audit_record(
        actor=actor,
        action="document_publish",
        obj=document,
        before=before,
        after={**_snapshot(document), "through": through},
    )
    mark_stale([document.pk])
    return document


@transaction.atomic
def document_set_validity(
    *, document: Document, validity: str, actor=None, replaced_by: Document | None = None
) -> Document:
    """Mark a document expired, repealed or amended; repealed/amended may name the document
    that replaces it, so readers can follow the link both ways."""
    if validity not in Validity.values:
        raise CatalogueError(f"未知的有效性：{validity}")
    if replaced_by is not None and replaced_by.pk == document.pk:
        raise CatalogueError("文件不能废止或修改自身。")
    before = _snapshot(document)
    document.validity = validity
    document.replaced_by = replaced_by if validity in (Validity.REPEALED, Validity.AMENDED) else None
    document.save(update_fields=["validity", "replaced_by", "updated_at"])
    audit_record(
        actor=actor, action="document_set_validity", obj=document, before=before, after=_snapshot(document)
    )
    mark_stale([document.pk])
    return document


@transaction.atomic
def document_set_disclosure(*, document: Document, attribute: str, ground: str = "", actor=None) -> Document:
    """Record the disclosure attribute (公开属性) and, unless proactive, its ground."""
    from .models import DisclosureAttribute

    if attribute not in DisclosureAttribute.values:
        raise CatalogueError(f"未知的公开属性：{attribute}")
    before = {"disclosure_attribute": document.disclosure_attribute, "ground": document.non_disclosure_ground}
    document.disclosure_attribute = attribute
    document.non_disclosure_ground = "" if attribute == DisclosureAttribute.PROACTIVE else ground
    document.save(update_fields=["disclosure_attribute", "non_disclosure_ground", "updated_at"])
    after = {"disclosure_attribute": attribute, "ground": document.non_disclosure_ground}
    audit_record(actor=actor, action="document_set_disclosure", obj=document, before=before, after=after)
    return document


@transaction.atomic
def document_replace_text(*, document: Document, texts: dict[str, str], actor=None) -> Document:
    """Replace the title, summary or body with a redacted version before publication. The audit
    records which fields changed and their lengths, not the removed personal data."""
    allowed = {"title", "summary", "body"}
    if not set(texts) <= allowed:
        raise CatalogueError(f"只能替换：{', '.join(sorted(allowed))}")
    for name, value in texts.items():
        setattr(document, name, value)
    document.save(update_fields=[*texts, "updated_at"])
    after = {name: {"chars": len(value)} for name, value in texts.items()}
    audit_record(actor=actor, action="document_replace_text", obj=document, after=after)
    mark_stale([document.pk])
    return document


@transaction.atomic
def document_withdraw(*, document: Document, reason: str, actor=None) -> Document:
    """Take a published document off the public catalogue; it stays in the internal catalogue
    with its index number and the reason (withdrawal is reviewed in gongkai.publishing)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.visibility != Visibility.PUBLIC:
        raise CatalogueError("只有已公开的信息可以撤回。")
    if not reason.strip():
        raise CatalogueError("请填写撤回理由。")
    before = _snapshot(document)
    document.visibility = Visibility.WITHDRAWN
    document.withdrawn_reason = reason.strip()[:300]
    document.save(update_fields=["visibility", "withdrawn_reason", "updated_at"])
    audit_record(
        actor=actor, action="document_withdraw", obj=document, before=before, after=_snapshot(document)
    )
    mark_stale([document.pk])
    return document


@transaction.atomic
def document_set_clarifies(*, document: Document, clarifies: Document | None, actor=None) -> Document:
    """Mark ``document`` as the clarification (Art. 6) of ``clarifies``; both pages link."""
    if clarifies is not None and clarifies.pk == document.pk:
        raise CatalogueError("澄清不能关联自身。")
    before = _snapshot(document)
    document.clarifies = clarifies
    document.save(update_fields=["clarifies", "updated_at"])
    audit_record(
        actor=actor, action="document_set_clarifies", obj=document, before=before, after=_snapshot(document)
    )
    mark_stale([document.pk] + ([clarifies.pk] if clarifies else []))
    return document


@transaction.atomic
def interpretation_link(*, interpretation: Document, policy: Document, actor=None) -> None:
    """Link a policy interpretation (政策解读) to the policy it explains; both pages show it."""
    if interpretation.pk == policy.pk:
        raise CatalogueError("解读不能关联自身。")
    interpretation.interprets.add(policy)
    audit_record(actor=actor, action="interpretation_link", obj=interpretation, after={"policy": policy.pk})
    mark_stale([interpretation.pk, policy.pk])
