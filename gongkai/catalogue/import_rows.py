"""One line of `gongkai import-documents` (interfaces.md): parsed, validated, normalised.

The write path (importing.py) calls ``RowParser.parse`` for each JSON object and
``RowParser.index_no_clashes`` for each batch of records; both report problems as
line-numbered LineErrors, so a bad line stops the import before anything is written.

What a line leaves out is derived from the text only where the text is explicit (derive.py),
and never invented:
- ``index_no``, the 索引号 the agency already published, is kept verbatim (unique);
- ``doc_no`` comes from the line, else from the document's own header (never from a number the
  text cites); it is stored normalised to 〔〕, the original as typed kept beside it;
- dates keep their precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``); a missing
  ``written_on`` is the signature date at the end of the text, else the dated line under the
  title, else ``published_on``, else the line's ``year`` (year precision), else an error;
- ``issuers`` must all be agencies of the directory (code, name or short name), lead first.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from gongkai.agencies.models import Agency
from gongkai.core.jsonl import FieldReader, LineError
from gongkai.core.keymap import KeyMap

from .dates import DAY, YEAR, DateProblem, not_before, parse_partial_date
from .derive import (
    canonical_doc_no,
    derive_doc_no,
    derive_genre,
    derive_npc_session_year,
    derive_signature_date,
    derive_written_on,
)
from .index_numbers import index_no_problem
from .models import Document, Genre, Subject, Validity
from .services import DocumentFields

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
    "index_no",
    "issuers",
    "normative_no",
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
MAX_ISSUERS = 20
# Head of the text searched for the dated line under the title ("——2024年3月5日在……").
HEADLINE_CHARS = 400
# Optional line fields -> DocumentFields attributes that an update keeps when the line is silent.
KEPT_ON_UPDATE = {
    "doc_no": "doc_no",
    "subject": "subject_id",
    "genre": "genre_id",
    "summary": "summary",
    "validity": "validity",
    "url": "source_url",
    "issuers": "issuers",
    "normative_no": "normative_no",
    # Never line fields: the original goes with ``doc_no`` (see parse_document_line), and the
    # publication date, which an update does not change, keeps its precision.
    "doc_no_original": "doc_no_original",
    "published_on_precision": "published_on_precision",
}


@dataclass(frozen=True)
class DocumentRecord:
    """One valid line: the fields to write, the publication date and, when the agency already
    published one, its index number (kept verbatim)."""

    line: int
    fields: DocumentFields
    published_on: date
    given: frozenset[str]  # optional fields the line sets itself (not derived, not defaulted)
    index_no: str = ""


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


class AgencyDirectory:
    """The directory's agencies by code, name and short name, loaded once per import (for
    the ``issuers`` of joint documents)."""

    def __init__(self):
        self.by_code: dict[str, str] = {}
        self.by_name: dict[str, set[str]] = {}
        for code, name, short_name in Agency.objects.values_list("code", "name", "short_name"):
            self.by_code[code] = code
            for label in {name, short_name} - {""}:
                self.by_name.setdefault(label, set()).add(code)

    def code(self, label: str) -> tuple[str | None, str | None]:
        """(agency code, None) or (None, what is wrong)."""
        if label in self.by_code:
            return label, None
        codes = self.by_name.get(label, set())
        if len(codes) == 1:
            return next(iter(codes)), None
        if codes:
            return (
                None,
                f"issuer {label!r} names several agencies; give its code ({', '.join(sorted(codes))})",
            )
        return (
            None,
            f"unknown issuer {label!r} (not in the agency directory: import it first or give its code)",
        )


def _date(reader: FieldReader, key: str) -> tuple[date | None, str]:
    raw = reader.obj.get(key)
    if raw is None or raw == "":
        return None, DAY
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        reader.error(f"field {key!r} must be a string (YYYY, YYYY-MM or YYYY-MM-DD)")
        return None, DAY
    try:
        return parse_partial_date(raw)
    except DateProblem as exc:
        reader.error(f"field {key!r}: {exc}")
        return None, DAY


def _year(reader: FieldReader) -> int | None:
    raw = reader.obj.get("year")
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or not MIN_YEAR <= raw <= MAX_YEAR:
        reader.error(f"field 'year': {raw!r} is not a year between {MIN_YEAR} and {MAX_YEAR}")
        return None
    return raw


def _dates(reader: FieldReader, title: str, content: str) -> tuple[date | None, str, date | None, str]:
    """(written_on, its precision, published_on, its precision), or Nones with the errors
    recorded. Only explicit facts: see the module docstring for the order."""
    written, written_precision = _date(reader, "written_on")
    published, published_precision = _date(reader, "published_on")
    year = _year(reader)
    if reader.errors:
        return None, DAY, None, DAY
    if written is None:
        written_precision = DAY
        written = derive_signature_date(content)
        if written is None:
            written = derive_written_on(content[:HEADLINE_CHARS])
            session_year = year or derive_npc_session_year(title)
            if written is not None and session_year and written.year != session_year:
                written = None
        if written is None and published is not None:
            written, written_precision = published, published_precision
        if written is None and (year := year or derive_npc_session_year(title)):
            written, written_precision = date(year, 1, 1), YEAR
        if written is None:
            reader.error(
                "no date: give 'written_on' (YYYY, YYYY-MM or YYYY-MM-DD), 'published_on' or 'year'; "
                "the text has no signature date"
            )
            return None, DAY, None, DAY
    elif year is not None and year != written.year:
        reader.error(f"field 'year' ({year}) contradicts 'written_on' ({reader.obj.get('written_on')})")
    if published is None:
        published, published_precision = written, written_precision
    elif not not_before(published, published_precision, written, written_precision):
        reader.error(
            f"'published_on' ({reader.obj.get('published_on')}) is before "
            f"'written_on' ({reader.obj.get('written_on') or written.isoformat()})"
        )
    return written, written_precision, published, published_precision


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


def _issuers(reader: FieldReader, directory: AgencyDirectory) -> list[str]:
    raw = reader.obj.get("issuers")
    if raw is None or raw == [] or raw == "":
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        reader.error("field 'issuers' must be a list of agency codes or names, lead first")
        return []
    if len(raw) > MAX_ISSUERS:
        reader.error(f"field 'issuers': at most {MAX_ISSUERS} issuers")
        return []
    codes: list[str] = []
    for label in raw:
        code, problem = directory.code(label.strip())
        if problem:
            reader.error(problem)
        elif code in codes:
            reader.error(f"field 'issuers': {label!r} is listed twice")
        else:
            codes.append(code)
    return codes


def _doc_no(reader: FieldReader, content: str) -> tuple[str, str]:
    """(normalised number, the original as typed when it differs)."""
    typed = " ".join(reader.text("doc_no", max_length=100).split())
    if typed:
        canonical = canonical_doc_no(typed)
        return canonical, (typed if typed != canonical else "")
    return derive_doc_no(content) or "", ""


def _index_no(reader: FieldReader) -> str:
    index_no = reader.text("index_no", max_length=64)
    if index_no:
        problem = index_no_problem(index_no)
        if problem:
            reader.error(problem)
            return ""
    return index_no


class RowParser:
    """Parses the lines of one file for ``agency`` and finds a line that repeats an earlier
    one (same url, same title and date, same index number). The earlier lines are held as
    64-bit hashes of their keys with their line numbers (core/keymap.py, 16 bytes each), so a
    file of a million lines costs tens of megabytes, not its text."""

    def __init__(self, agency: Agency):
        self.agency = agency
        self.taxonomy = Taxonomy(agency)
        self.directory = AgencyDirectory()
        self.by_url, self.by_title, self.by_index_no = KeyMap(), KeyMap(), KeyMap()

    def parse(self, obj: dict, line: int) -> DocumentRecord | list[LineError]:
        """One line as a DocumentRecord, or the list of what is wrong with it."""
        parsed = parse_document_line(obj, line, self.taxonomy, self.directory)
        if isinstance(parsed, list):
            return parsed
        url = parsed.fields.source_url
        url_key = hash(url) if url else None
        title_key = hash((parsed.fields.title, parsed.fields.written_on))
        index_key = hash(parsed.index_no) if parsed.index_no else None
        earlier = (self.by_url.get(url_key) if url_key is not None else None) or self.by_title.get(title_key)
        if earlier:
            return [
                LineError(line, f"the same document as line {earlier} (same url, or same title and date)")
            ]
        if index_key is not None and (earlier := self.by_index_no.get(index_key)):
            return [LineError(line, f"index number {parsed.index_no!r} is already used on line {earlier}")]
        if url_key is not None:
            self.by_url.put_new(url_key, line)  # none of the three was found above
        self.by_title.put_new(title_key, line)
        if index_key is not None:
            self.by_index_no.put_new(index_key, line)
        return parsed

    def index_no_clashes(self, records: Iterable[DocumentRecord]) -> list[LineError]:
        """Lines whose index number another document of the platform already has (one query
        per batch). The document the line updates (same agency, and same url, or same title
        and date of creation) keeps its own number; any other holder is a clash."""
        wanted = {r.index_no: r for r in records if r.index_no}
        if not wanted:
            return []
        errors = []
        holders = Document.objects.filter(index_no__in=list(wanted)).values_list(
            "index_no", "agency_id", "source_url", "title", "written_on"
        )
        for index_no, agency_id, url, title, written_on in holders:
            fields = wanted[index_no].fields
            same = agency_id == self.agency.pk and (
                (fields.source_url and fields.source_url == url)
                or (fields.title == title and fields.written_on == written_on)
            )
            if not same:
                errors.append(
                    LineError(
                        wanted[index_no].line,
                        f"index number {index_no!r} is already used by another document",
                    )
                )
        return sorted(errors, key=lambda e: e.line)


def parse_document_line(
    obj: dict, line: int, taxonomy: Taxonomy, directory: AgencyDirectory | None = None
) -> DocumentRecord | list[LineError]:
    """One line as a DocumentRecord, or the list of what is wrong with it (file-level checks,
    repeated lines and index-number clashes, are RowParser's)."""
    reader = FieldReader(obj, line, allowed=DOCUMENT_FIELDS)
    title = " ".join(reader.text("title", required=True, max_length=500).split())
    content = reader.text("content", required=True)
    doc_no, doc_no_original = _doc_no(reader, content)
    summary = reader.text("summary")
    url = _url(reader)
    validity = _validity(reader)
    index_no = _index_no(reader)
    normative_no = " ".join(reader.text("normative_no", max_length=60).split())
    issuers = _issuers(reader, directory or AgencyDirectory())
    subject_id, genre_id = _classification(reader, taxonomy, title)
    if title and content:
        written_on, written_precision, published_on, published_precision = _dates(reader, title, content)
    else:
        written_on = published_on = None
    if reader.errors or written_on is None or published_on is None:
        return reader.errors
    given = {k for k in KEPT_ON_UPDATE if obj.get(k) not in (None, "", [])}
    if "doc_no" in given:
        given.add("doc_no_original")
    fields = DocumentFields(
        title=title,
        written_on=written_on,
        written_on_precision=written_precision,
        body=content,
        doc_no=doc_no,
        doc_no_original=doc_no_original,
        summary=summary,
        subject_id=subject_id,
        genre_id=genre_id,
        validity=validity,
        source_url=url,
        issuers=issuers,
        normative_no=normative_no,
        published_on_precision=published_precision,
    )
    return DocumentRecord(
        line=line, fields=fields, published_on=published_on, given=frozenset(given), index_no=index_no
    )
