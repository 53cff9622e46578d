"""Importing documents from JSON lines (`gongkai import-documents`, interfaces.md).

The file is read once, line by line (a province's back catalogue does not fit in memory);
each line is checked (import_rows.py) and the valid ones are written in batches inside ONE
transaction for the file, so one bad line anywhere means nothing is imported, and every bad
line is reported by number. Metadata a line leaves out is derived from the text where the text
is explicit (derive.py). A batch of new documents is published through one catalogue service
call (services.documents_import_publish: one bulk insert, index numbers allocated per period,
one audit event naming every document and the file's SHA-256, one change notice); a line that
updates a document goes through document_update, audited on its own with what changed. The
search index is brought up to date after the commit; for a large file it is built beside the
writes by an observer of the import (changes.DOCUMENTS_IMPORT_STARTING) and committed after.
An import is the one way into the public catalogue besides the review chain: each run is
recorded (who, when, which file and its SHA-256) and every document it writes points to it;
it never publishes or changes a document drafted as a record for review.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from django.db import connection, transaction

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.core.jsonl import ImportFailed, LineError, read_jsonl
from gongkai.core.keymap import KeyMap

from .changes import import_observers
from .import_rows import (  # noqa: F401  (DOCUMENT_FIELDS, VALIDITY_NAMES: the command's and search's)
    DOCUMENT_FIELDS,
    KEPT_ON_UPDATE,
    VALIDITY_NAMES,
    DocumentRecord,
    RowParser,
)
from .models import Document, DocumentImport, Visibility
from .services import (
    CatalogueError,
    DocumentFields,
    ImportedDocument,
    document_import_begin,
    document_publish,
    document_update,
    documents_import_publish,
)


@dataclass
class DocumentImportResult:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0  # included in ``updated``: matched documents that needed no change


def parse_document_file(
    lines: Iterable[bytes | str], *, agency: Agency
) -> tuple[list[DocumentRecord], list[LineError]]:
    """All records of a file, or every error in it (a line repeating an earlier one's url,
    or its title and date, is an error too). Holds the whole file: for checking small files;
    import_documents streams."""
    records: list[DocumentRecord] = []
    errors: list[LineError] = []
    for item in iter_document_records(lines, agency=agency):
        (errors if isinstance(item, LineError) else records).append(item)
    return records, errors


def iter_document_records(
    lines: Iterable[bytes | str], *, agency: Agency, parser: RowParser | None = None
) -> Iterator[DocumentRecord | LineError]:
    """Each line's record, or each thing wrong with it, in file order, one line at a time."""
    parser = parser or RowParser(agency)
    for line, obj in read_jsonl(lines):
        if isinstance(obj, LineError):
            yield obj
            continue
        parsed = parser.parse(obj, line)
        if isinstance(parsed, list):
            yield from parsed
            continue
        yield parsed


# --- the write path: batches, one transaction per file -------------------------------------

BATCH = 1000  # documents per bulk insert, audit event and change notice


def _merged_fields(doc: Document, record: DocumentRecord) -> DocumentFields:
    """The record's fields, keeping what the document already has where the line is silent
    (a subject set or a repeal recorded by staff survives a re-import that does not name
    one); derived values only fill what is still empty."""
    kept = {
        attr: getattr(doc, attr)
        for key, attr in KEPT_ON_UPDATE.items()
        if key not in record.given and getattr(doc, attr) not in (None, "")
    }
    return replace(
        record.fields, **kept, keywords=doc.keywords, effective_on=doc.effective_on, expires_on=doc.expires_on
    )


def _current_fields(doc: Document) -> DocumentFields:
    return DocumentFields(**{name: getattr(doc, name) for name in DocumentFields.__dataclass_fields__})


class _Existing:
    """The agency's documents, found by source url or by title and date of creation. Only
    64-bit hashes of the keys are held in memory (a million documents cost tens of megabytes);
    a match is confirmed on the stored row when the batch reads it."""

    def __init__(self, agency: Agency):
        keys = (
            Document.objects.filter(agency=agency)
            .order_by("pk")
            .values_list("pk", "source_url", "title", "written_on")
        )
        self.by_url, self.by_title = KeyMap(), KeyMap()
        for pk, url, title, written_on in keys.iterator(chunk_size=5000):
            if url:
                self.by_url.add(hash(url), pk)
            self.by_title.add(hash((title, written_on)), pk)

    def candidates(self, fields: DocumentFields) -> tuple[int | None, int | None]:
        by_url = self.by_url.get(hash(fields.source_url)) if fields.source_url else None
        return by_url, self.by_title.get(hash((fields.title, fields.written_on)))

    def match(self, fields: DocumentFields, rows: dict[int, Document]) -> Document | None:
        """The stored document this line updates: same url, else same title and date."""
        by_url, by_title = self.candidates(fields)
        doc = rows.get(by_url) if by_url else None
        if doc is not None and doc.source_url == fields.source_url:
            return doc
        doc = rows.get(by_title) if by_title else None
        if doc is not None and (doc.title, doc.written_on) == (fields.title, fields.written_on):
            return doc
        return None


def _update(record: DocumentRecord, doc: Document, *, actor, run: DocumentImport) -> str:
    """A line that matches a stored document: the document is updated (and audited) only when
    the line changes it; a document that was never public is published."""
    if record.index_no and doc.index_no and record.index_no != doc.index_no:
        raise CatalogueError(f"索引号不可更改：该文件的索引号是 {doc.index_no}。")
    fields = _merged_fields(doc, record)
    changed = fields != _current_fields(doc)
    # A withdrawn document stays withdrawn: re-importing a file must not undo that decision.
    republish = doc.visibility == Visibility.INTERNAL
    if changed or republish:
        doc = document_update(document=doc, fields=fields, actor=actor, imported=run)
    if republish:
        document_publish(document=doc, actor=actor, published_on=record.published_on, imported=run)
        changed = True
    return "updated" if changed else "unchanged"


class _BatchWriter:
    """Writes the records of one file batch by batch, inside the file's transaction."""

    def __init__(
        self,
        *,
        agency: Agency,
        actor,
        run: DocumentImport,
        result: "DocumentImportResult",
        parser: RowParser,
        observers: list = (),
    ):
        self.agency, self.actor, self.run, self.result = agency, actor, run, result
        self.existing = _Existing(agency)
        self.parser = parser
        self.observers = observers

    def write(self, records: list[DocumentRecord]) -> list[LineError]:
        """Write one batch; the errors of its lines, if a service refused one (then the file's
        transaction must roll back)."""
        clashes = self.parser.index_no_clashes(records)
        if clashes:
            return clashes
        wanted = {pk for r in records for pk in self.existing.candidates(r.fields) if pk}
        rows = Document.objects.in_bulk(wanted) if wanted else {}
        new: list[DocumentRecord] = []
        for record in records:
            doc = self.existing.match(record.fields, rows)
            if doc is None:
                new.append(record)
                continue
            try:
                outcome = _update(record, doc, actor=self.actor, run=self.run)
            except CatalogueError as exc:
                return [LineError(record.line, str(exc))]
            setattr(self.result, outcome, getattr(self.result, outcome) + 1)
        if new:
            items = [
                ImportedDocument(fields=r.fields, published_on=r.published_on, index_no=r.index_no)
                for r in new
            ]
            try:
                created = documents_import_publish(imported=self.run, documents=items, actor=self.actor)
            except CatalogueError as exc:
                return [LineError(new[0].line, str(exc))]
            for observer in self.observers:
                observer.added(created)
            self.result.imported += len(new)
        return []


ANALYZE_AFTER = 10 * BATCH  # new documents after which the table's statistics are refreshed


def _refresh_statistics() -> None:
    """PostgreSQL: refresh the planner's statistics of the documents table before the commit.
    A freshly bulk-loaded table has none (autovacuum comes later), and the search index's
    read-back after the commit then scans the whole agency for each chunk of 5,000 (measured:
    0.5-0.9 s a chunk at 100,000 documents, 4 ms with statistics; ANALYZE costs 0.5 s)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Document._meta.db_table)}")


def import_documents(
    lines: Iterable[bytes | str],
    *,
    agency: Agency,
    actor=None,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
    file_name: str = "",
    sha256: str = "",
    batch_size: int = BATCH,
    expected: int = 0,
) -> DocumentImportResult:
    """Import documents for ``agency`` from JSON lines, all or nothing, and publish them.
    Raises ImportFailed with every error found. With ``dry_run`` the same writes are made
    and rolled back, so the counts and errors are those a real run would give. The run is
    recorded with ``file_name`` and ``sha256`` (the file's; by default that of the lines).

    One pass over the lines, which are not held in memory: each line is checked and the valid
    ones are written in batches of ``batch_size`` (one bulk insert, one audit event, one change
    notice per batch) inside ONE transaction for the whole file. After the first error nothing
    more is written but every line is still checked, and the transaction rolls back, so a file
    with any bad line imports nothing and every bad line is reported. ``progress`` is called
    with the number of lines done, once per batch. ``expected`` (the file's number of lines,
    when known) lets the search index build beside a large import's writes (DOCUMENTS_IMPORT_
    STARTING, gongkai/search/importfeed.py); it is searchable once the transaction commits."""
    if (
        actor is not None
        and not getattr(actor, "is_superuser", False)
        and not has_role(actor, agency, Role.ADMINISTRATOR)
    ):
        raise ImportFailed([LineError(0, "you may not import documents for this agency")])
    if not sha256:
        lines = list(lines)
        digest = hashlib.sha256()
        for raw in lines:
            digest.update(raw if isinstance(raw, bytes) else raw.encode())
        sha256 = digest.hexdigest()
    result = DocumentImportResult()
    errors: list[LineError] = []
    # A large import is watched by whoever keeps something derived from documents (the search
    # index builds beside the writes: gongkai/search/importfeed.py); told the outcome after.
    observers = [] if dry_run else import_observers(expected)
    outcome = {"committed": False}

    def committed() -> None:
        outcome["committed"] = True
        for observer in observers:
            observer.committed()

    try:
        with transaction.atomic():
            if observers:
                # Registered first, so it runs before the index's own after-commit sync.
                transaction.on_commit(committed, robust=True)
                for observer in observers:
                    observer.begin()
            run = document_import_begin(agency=agency, actor=actor, file_name=file_name, sha256=sha256)
            parser = RowParser(agency)
            writer = _BatchWriter(
                agency=agency, actor=actor, run=run, result=result, parser=parser, observers=observers
            )
            batch: list[DocumentRecord] = []
            done = 0
            for item in iter_document_records(lines, agency=agency, parser=parser):
                if isinstance(item, LineError):
                    errors.append(item)
                    batch.clear()
                    continue
                done += 1
                if not errors:  # after an error lines are checked, not written: the file rolls back
                    batch.append(item)
                    if len(batch) >= batch_size:
                        errors.extend(writer.write(batch))
                        batch.clear()
                if progress and done >= batch_size:
                    progress(done)
                    done = 0
            if batch and not errors:
                errors.extend(writer.write(batch))
            if progress and done:
                progress(done)
            if errors:
                transaction.set_rollback(True)
            elif dry_run:
                transaction.set_rollback(True)
            elif result.imported >= ANALYZE_AFTER:
                _refresh_statistics()
    finally:
        if not outcome["committed"]:
            for observer in observers:
                observer.aborted()
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.line))
    result.updated += result.unchanged
    return result
