"""State changes of the catalogue: one entry point each (STYLE.md, habit 3)."""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection, models, transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core.audit import audit_chain_lock, audit_record

from . import review, sequences
from .changes import documents_changed
from .models import DisclosureAttribute, Document, DocumentImport, Validity, Visibility


class CatalogueError(Exception):
    """A user error in a catalogue action; the message says what to fix."""


def index_number_format(*, agency: Agency, year: int, seq: int, month: int = 1) -> str:
    """Index number in the agency's format (IndexNumberScheme), else the configured default
    (catalogue.md: ``{code}/{year}-{seq:05d}``)."""
    return sequences.scheme_for(agency).format(year=year, month=month, seq=seq)


def index_numbers_allocate(*, agency: Agency, year: int, count: int, month: int = 0) -> list[str]:
    """The next ``count`` index numbers of ``agency`` for ``year`` (and ``month``, when the
    agency's format shows it), in order, taken from the sequence at once (sequences.allocate).
    Runs in the caller's transaction: if that rolls back, the numbers are returned to the
    sequence, so numbers stay gap-free."""
    return sequences.allocate(agency=agency, year=year, month=month, count=count)


def index_number_allocate(*, agency: Agency, year: int, month: int = 0) -> str:
    """Next index number of ``agency`` for ``year`` (see index_numbers_allocate)."""
    return index_numbers_allocate(agency=agency, year=year, month=month, count=1)[0]


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
        "issuers": doc.issuers,
        "normative_no": doc.normative_no,
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
    # Joint issuers (agency codes, lead first), 规范性文件登记号, the document number as typed
    # when it differs from the normalised ``doc_no``, and the precision of ``published_on``.
    issuers: list[str] = field(default_factory=list)
    normative_no: str = ""
    doc_no_original: str = ""
    published_on_precision: str = "day"


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
    documents_changed([doc.pk])
    return doc


def _review_problem(document: Document, approval) -> str | None:
    # The review chains are publishing's; it registers their check (catalogue/review.py).
    return review.review_problem(approval, document)


def _import_problem(document: Document, imported: DocumentImport) -> str | None:
    if not isinstance(imported, DocumentImport) or imported.pk is None:
        return "没有导入记录。"
    if imported.agency_id != document.agency_id:
        return "导入记录与该信息的发布机关不符。"
    if review.under_review(document):
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


@dataclass(frozen=True)
class ImportedDocument:
    """A document an import run brings in: its fields, its publication date and, when the
    agency already published one, its index number (kept verbatim)."""

    fields: DocumentFields
    published_on: date
    index_no: str = ""


def _insert_rows(rows: list[Document]) -> None:
    """Insert new documents. PostgreSQL: COPY (``_copy_rows``; a multi-row INSERT ... RETURNING
    cost the server twice as much, executemany more again: psycopg sends its rows as one
    statement each). SQLite: one prepared INSERT run over all of them (executemany), without
    bulk_create's statement per 27 rows (the backend's parameter limit), whose compilation cost
    more than the insert; values go through each field's own preparation, as with save(), and
    the new ids are read back by index number (unique, and set on every row)."""
    fields = [f for f in Document._meta.concrete_fields if not f.primary_key]
    if connection.vendor == "postgresql":
        _copy_rows(rows, fields)
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Document._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [[f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    ids = dict(
        Document.objects.filter(index_no__in=[row.index_no for row in rows]).values_list("index_no", "pk")
    )
    for row in rows:
        row.pk = ids[row.index_no]
        row._state.adding, row._state.db = False, connection.alias


_PLAIN = frozenset({str, int, date})


def _copy_rows(rows: list[Document], fields) -> None:
    """PostgreSQL: the batch's ids drawn from the table's sequence in one statement, then the
    rows sent with COPY (measured: about half the server time of one multi-row INSERT ...
    RETURNING, which PostgreSQL plans and executes as one huge statement)."""
    table = Document._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        columns = ", ".join(quote(c) for c in ["id", *(f.column for f in fields)])
        # A value of a plain type (str, int, date, None; not a choices enum, which psycopg would
        # write by name) in a plain column goes as it is; JSON, timestamps set on save and any
        # other value through the field's own preparation, as with save().
        simple = [
            not isinstance(f, models.JSONField)
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
            for f in fields
        ]
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = row.__dict__
                out = [row.pk]
                for f, plain in zip(fields, simple, strict=True):
                    value = values[f.attname]
                    if not (plain and (value is None or type(value) in _PLAIN)):
                        value = f.get_db_prep_save(f.pre_save(row, True), connection)
                    out.append(value)
                copy.write_row(out)
    for row in rows:
        row._state.adding, row._state.db = False, connection.alias


@transaction.atomic
def documents_import_publish(
    *, imported: DocumentImport, documents: list[ImportedDocument], actor=None
) -> list[Document]:
    """Create and publish, in one go, documents that were already public elsewhere and that the
    import run ``imported`` brings in (its proof of origin: who, when, which file and its
    SHA-256). Index numbers missing are allocated per year for the whole batch, the rows are
    inserted with one bulk insert, and ONE audit event names every document (id and index
    number), the run and the file's SHA-256; the change notice (search) goes out once."""
    if not isinstance(imported, DocumentImport) or imported.pk is None:
        raise CatalogueError("不能公开：没有导入记录。")
    if not documents:
        return []
    if any(not item.fields.title.strip() for item in documents):
        raise CatalogueError("标题不能为空。")
    agency = imported.agency
    # The audit chain's lock before the index sequences' row locks, as in document_publish.
    audit_chain_lock()
    # Numbers the agency already published move its sequences on; the others are allocated
    # per period (a year, or a month when the agency's format shows it).
    scheme = sequences.scheme_for(agency)
    sequences.advance_past(
        agency=agency, index_nos=[item.index_no for item in documents if item.index_no], scheme=scheme
    )
    # One statement allocates every period of the batch (sequences.allocate_periods).
    periods = [
        scheme.period(year=item.fields.written_on.year, month=item.fields.written_on.month)
        for item in documents
    ]
    wanted: dict[tuple[int, int], int] = {}
    for item, period in zip(documents, periods, strict=True):
        if not item.index_no:
            wanted[period] = wanted.get(period, 0) + 1
    numbers = {
        period: iter(allocated)
        for period, allocated in sequences.allocate_periods(
            agency=agency, counts=wanted, scheme=scheme
        ).items()
    }
    rows = [
        Document(
            agency=agency,
            imported_from=imported,
            index_no=item.index_no or next(numbers[period]),
            published_on=item.published_on,
            visibility=Visibility.PUBLIC,
            **item.fields.__dict__,
        )
        for item, period in zip(documents, periods, strict=True)
    ]
    _insert_rows(rows)
    audit_record(
        actor=actor,
        action="document_publish_batch",
        obj=imported,
        after={
            "through": f"import:{imported.pk}",
            "file_name": imported.file_name,
            "sha256": imported.sha256,
            "documents": [[doc.pk, doc.index_no] for doc in rows],
        },
    )
    documents_changed([doc.pk for doc in rows])
    return rows


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
    documents_changed([document.pk])
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
    it (pre-scan findings settled; the review authority publishing registers in
    catalogue/review.py checks the stored rows), or
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
        written_on = document.written_on
        document.index_no = index_number_allocate(
            agency=document.agency, year=written_on.year, month=written_on.month
        )
    else:
        sequences.advance_past(agency=document.agency, index_nos=[document.index_no])
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
    documents_changed([document.pk])
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
    documents_changed([document.pk])
    return document


@transaction.atomic
def document_set_disclosure(*, document: Document, attribute: str, ground: str = "", actor=None) -> Document:
    """Record the disclosure attribute (公开属性) and, unless proactive, its ground."""
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
    documents_changed([document.pk])
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
    documents_changed([document.pk])
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
    documents_changed([document.pk] + ([clarifies.pk] if clarifies else []))
    return document


@transaction.atomic
def interpretation_link(*, interpretation: Document, policy: Document, actor=None) -> None:
    """Link a policy interpretation (政策解读) to the policy it explains; both pages show it."""
    if interpretation.pk == policy.pk:
        raise CatalogueError("解读不能关联自身。")
    interpretation.interprets.add(policy)
    audit_record(actor=actor, action="interpretation_link", obj=interpretation, after={"policy": policy.pk})
    documents_changed([interpretation.pk, policy.pk])
