"""Importing documents from JSON lines (`gongkai import-documents`, interfaces.md).

Every line is checked before anything is written; one bad line means nothing is imported.
Metadata a line leaves out is derived from the text where the text is explicit (derive.py).
Imported documents are published through the catalogue services, so each write is audited
and queued for the search index; the index is brought up to date once, after the commit.
An import is the one way into the public catalogue besides the review chain: each run is
recorded (who, when, which file and its SHA-256) and every document it writes points to it;
it never publishes or changes a document drafted as a record for review.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.core.jsonl import FieldReader, ImportFailed, LineError, read_jsonl

from .derive import (
    derive_doc_no,
    derive_genre,
    derive_npc_session_year,
    derive_written_on,
    parse_chinese_date,
)
from .models import Document, DocumentImport, Genre, Subject, Validity, Visibility
from .services import (
    CatalogueError,
    DocumentFields,
    document_create,
    document_import_begin,
    document_publish,
    document_update,
)

DOCUMENT_FIELDS = (
    "title",
    "content",
    "doc_no",
    "subject",
    "genre",
    "written_on",
    "published_on",
    "validity",
    "summary",
    "year",
    "url",
)
# Codes and the Chinese labels of catalogue.md (有效 / 失效 / 废止 / 已修改).
VALIDITY_NAMES = {
    **{code: code for code in Validity.values},
    "有效": Validity.IN_FORCE,
    "失效": Validity.EXPIRED,
    "废止": Validity.REPEALED,
    "已修改": Validity.AMENDED,
}
MIN_YEAR, MAX_YEAR = 1900, 2100
SUBJECT_PATH_SEPARATORS = ("/", "／", ">")
# Optional line fields -> DocumentFields attributes that an update keeps when the line is silent.
_KEPT_ON_UPDATE = {
    "doc_no": "doc_no",
    "subject": "subject_id",
    "genre": "genre_id",
    "summary": "summary",
    "validity": "validity",
    "url": "source_url",
}


@dataclass(frozen=True)
class DocumentRecord:
    """One valid line: the fields to write and the publication date."""

    line: int
    fields: DocumentFields
    published_on: date
    given: frozenset[str]  # optional fields the line sets itself (not derived, not defaulted)


@dataclass
class DocumentImportResult:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0  # included in ``updated``: matched documents that needed no change


class Taxonomy:
    """Subjects and genres looked up by name, loaded once per import."""

    def __init__(self, agency: Agency):
        subjects = Subject.objects.filter(agency__isnull=True) | Subject.objects.filter(agency=agency)
        self.subjects: dict[str, list[Subject]] = {}
        self.subject_paths: dict[tuple[str, str], Subject] = {}
        for s in subjects.select_related("parent"):
            self.subjects.setdefault(s.name, []).append(s)
            if s.parent_id:
                self.subject_paths[(s.parent.name, s.name)] = s
        self.genres = dict(Genre.objects.values_list("name", "pk"))

    def subject(self, name: str) -> tuple[int | None, str | None]:
        """(subject id, None) or (None, what is wrong). A name found at both levels means the
        first-level subject; a second-level name under several parents needs "parent/name"."""
        for sep in SUBJECT_PATH_SEPARATORS:
            if sep in name:
                top, _, child = (p.strip() for p in name.partition(sep))
                found = self.subject_paths.get((top, child))
                return (found.pk, None) if found else (None, f"unknown subject {name!r}")
        matches = self.subjects.get(name, [])
        tops = [s for s in matches if not s.parent_id]
        if tops:
            return tops[0].pk, None
        if len(matches) == 1:
            return matches[0].pk, None
        if not matches:
            return None, f"unknown subject {name!r}"
        parents = ", ".join(f"{s.parent.name}/{s.name}" for s in matches)
        return None, f"subject {name!r} is ambiguous; write one of: {parents}"


def _parse_date(reader: FieldReader, key: str) -> date | None:
    raw = reader.text(key)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    found = parse_chinese_date(raw)
    if found is None:
        reader.error(f"field {key!r}: {raw!r} is not a date (use YYYY-MM-DD)")
    return found


def _parse_year(reader: FieldReader) -> int | None:
    raw = reader.obj.get("year")
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or not MIN_YEAR <= raw <= MAX_YEAR:
        reader.error(f"field 'year': {raw!r} is not a year between {MIN_YEAR} and {MAX_YEAR}")
        return None
    return raw


def _written_on(reader: FieldReader, title: str, content: str) -> tuple[date | None, str]:
    """The date of creation and its precision: given; else derived from the text; else
    January 1 of the known year (the line's ``year`` or an NPC session named in the title)."""
    given = _parse_date(reader, "written_on")
    year = _parse_year(reader)
    if given is not None:
        return given, "day"
    if reader.errors:
        return None, "day"
    year = year or derive_npc_session_year(title)
    derived = derive_written_on(content, year)
    if derived is not None:
        return derived, "day"
    if year is not None:
        return date(year, 1, 1), "year"
    reader.error("no date: give 'written_on' or 'year' (none could be derived from the text)")
    return None, "day"


def _url(reader: FieldReader) -> str:
    url = reader.text("url", max_length=1000)
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            reader.error(f"field 'url': {url!r} is not a valid URL")
    return url


def _validity(reader: FieldReader) -> str:
    raw = reader.text("validity")
    if raw and raw not in VALIDITY_NAMES:
        reader.error(
            f"unknown validity {raw!r} (expected in_force, expired, repealed, amended or 有效/失效/废止/已修改)"
        )
    return VALIDITY_NAMES.get(raw, Validity.IN_FORCE)


def _classification(reader: FieldReader, taxonomy: Taxonomy, title: str) -> tuple[int | None, int | None]:
    """Subject and genre ids: named ones must exist; a genre the line does not name is taken
    from the title's ending when that genre is in the list."""
    subject_name, genre_name = reader.text("subject"), reader.text("genre")
    subject_id = genre_id = None
    if subject_name:
        subject_id, problem = taxonomy.subject(subject_name)
        if problem:
            reader.error(problem)
    if genre_name:
        genre_id = taxonomy.genres.get(genre_name)
        if genre_id is None:
            reader.error(f"unknown genre {genre_name!r}")
    elif title:
        genre_id = taxonomy.genres.get(derive_genre(title) or "")
    return subject_id, genre_id


def parse_document_line(obj: dict, line: int, taxonomy: Taxonomy) -> DocumentRecord | list[LineError]:
    """One line as a DocumentRecord, or the list of what is wrong with it."""
    reader = FieldReader(obj, line, allowed=DOCUMENT_FIELDS)
    title = " ".join(reader.text("title", required=True, max_length=500).split())
    content = reader.text("content", required=True)
    doc_no = reader.text("doc_no", max_length=100) or derive_doc_no(content) or ""
    summary = reader.text("summary")
    url = _url(reader)
    validity = _validity(reader)
    subject_id, genre_id = _classification(reader, taxonomy, title)
    published_on = _parse_date(reader, "published_on")
    written_on, precision = _written_on(reader, title, content) if title and content else (None, "day")
    if reader.errors or written_on is None:
        return reader.errors
    given = frozenset(k for k in _KEPT_ON_UPDATE if obj.get(k) not in (None, ""))
    fields = DocumentFields(
        title=title,
        written_on=written_on,
        written_on_precision=precision,
        body=content,
        doc_no=doc_no,
        summary=summary,
        subject_id=subject_id,
        genre_id=genre_id,
        validity=validity,
        source_url=url,
    )
    return DocumentRecord(line=line, fields=fields, published_on=published_on or written_on, given=given)


def parse_document_file(
    lines: Iterable[bytes | str], *, agency: Agency
) -> tuple[list[DocumentRecord], list[LineError]]:
    """All records of a file, or every error in it (a line repeating an earlier one's url,
    or its title and date, is an error too)."""
    taxonomy = Taxonomy(agency)
    records: list[DocumentRecord] = []
    errors: list[LineError] = []
    by_url: dict[str, int] = {}
    by_title: dict[tuple[str, date], int] = {}
    for line, obj in read_jsonl(lines):
        if isinstance(obj, LineError):
            errors.append(obj)
            continue
        parsed = parse_document_line(obj, line, taxonomy)
        if isinstance(parsed, list):
            errors.extend(parsed)
            continue
        key = (parsed.fields.title, parsed.fields.written_on)
        earlier = by_url.get(parsed.fields.source_url) if parsed.fields.source_url else None
        earlier = earlier or by_title.get(key)
        if earlier:
            errors.append(
                LineError(line, f"the same document as line {earlier} (same url, or same title and date)")
            )
            continue
        if parsed.fields.source_url:
            by_url[parsed.fields.source_url] = line
        by_title[key] = line
        records.append(parsed)
    return records, errors


def _merged_fields(doc: Document, record: DocumentRecord) -> DocumentFields:
    """The record's fields, keeping what the document already has where the line is silent
    (a subject set or a repeal recorded by staff survives a re-import that does not name
    one); derived values only fill what is still empty."""
    kept = {
        attr: getattr(doc, attr)
        for key, attr in _KEPT_ON_UPDATE.items()
        if key not in record.given and getattr(doc, attr) not in (None, "")
    }
    return replace(
        record.fields, **kept, keywords=doc.keywords, effective_on=doc.effective_on, expires_on=doc.expires_on
    )


def _current_fields(doc: Document) -> DocumentFields:
    return DocumentFields(**{name: getattr(doc, name) for name in DocumentFields.__dataclass_fields__})


class _Existing:
    """The agency's documents, found by source url or by title and date of creation. Only
    the keys are held in memory; a matched document is read when it is needed."""

    def __init__(self, agency: Agency):
        keys = (
            Document.objects.filter(agency=agency)
            .order_by("pk")
            .values_list("pk", "source_url", "title", "written_on")
        )
        self.by_url = {url: pk for pk, url, _, _ in keys if url}
        self.by_title = {(title, written_on): pk for pk, _, title, written_on in keys}

    def match(self, fields: DocumentFields) -> Document | None:
        pk = self.by_url.get(fields.source_url) if fields.source_url else None
        pk = pk or self.by_title.get((fields.title, fields.written_on))
        return Document.objects.get(pk=pk) if pk else None


def _write(record: DocumentRecord, *, agency: Agency, existing: _Existing, actor, run: DocumentImport) -> str:
    doc = existing.match(record.fields)
    if doc is None:
        doc = document_create(agency=agency, fields=record.fields, actor=actor, imported=run)
        document_publish(document=doc, actor=actor, published_on=record.published_on, imported=run)
        return "imported"
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


def import_documents(
    lines: Iterable[bytes | str],
    *,
    agency: Agency,
    actor=None,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
    file_name: str = "",
    sha256: str = "",
) -> DocumentImportResult:
    """Import documents for ``agency`` from JSON lines, all or nothing, and publish them.
    Raises ImportFailed with every error found. With ``dry_run`` the same writes are made
    and rolled back, so the counts and errors are those a real run would give. The run is
    recorded with ``file_name`` and ``sha256`` (the file's; by default that of the lines)."""
    if (
        actor is not None
        and not getattr(actor, "is_superuser", False)
        and not has_role(actor, agency, Role.ADMINISTRATOR)
    ):
        raise ImportFailed([LineError(0, "you may not import documents for this agency")])
    lines = list(lines)
    if not sha256:
        digest = hashlib.sha256()
        for raw in lines:
            digest.update(raw if isinstance(raw, bytes) else raw.encode())
        sha256 = digest.hexdigest()
    records, errors = parse_document_file(lines, agency=agency)
    if errors:
        raise ImportFailed(errors)
    result = DocumentImportResult()
    with transaction.atomic():
        run = document_import_begin(agency=agency, actor=actor, file_name=file_name, sha256=sha256)
        existing = _Existing(agency)
        for record in records:
            try:
                outcome = _write(record, agency=agency, existing=existing, actor=actor, run=run)
            except CatalogueError as exc:
                raise ImportFailed([LineError(record.line, str(exc))]) from exc
            setattr(result, outcome, getattr(result, outcome) + 1)
            if progress:
                progress(1)
        if dry_run:
            transaction.set_rollback(True)
    result.updated += result.unchanged
    return result
