"""Loading the agency directory from JSON lines (`gongkai import-agencies`, interfaces.md).

Every line is checked before anything is written; one bad line means nothing is written.
Writes go through ``services.agency_upsert``, so each change is audited.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from gongkai.core.checksums import is_valid_agency_code
from gongkai.core.jsonl import FieldReader, ImportFailed, LineError, all_or_nothing, read_jsonl

from .models import Agency, AgencyLevel
from .services import AgencyData, AgencyError, OfficeData, RemedyData, agency_upsert

REMEDY_KEYS = ("vertically_led", "reconsideration_body", "reconsideration_address", "court", "court_address")
AGENCY_FIELDS = ("code", "name", "short_name", "level", "parent", "office", *REMEDY_KEYS)
OFFICE_FIELDS = ("name", "address", "hours", "phone", "fax", "email", "postcode", "website")
POSTCODE_RE = re.compile(r"\d{6}")


@dataclass
class AgencyImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def normalize_code(code: str) -> str:
    """Codes are compared upper-case; an organisation code may be written ``12345678-9``."""
    code = code.strip().upper()
    return code.replace("-", "") if len(code) == 10 and code[8] == "-" else code


def _office(reader: FieldReader) -> OfficeData | None:
    raw = reader.object("office")
    if raw is None:
        return None
    sub = FieldReader(raw, reader.line, allowed=OFFICE_FIELDS)
    values = {
        "name": sub.text("name", required=True, max_length=200),
        "address": sub.text("address", max_length=300),
        "hours": sub.text("hours", max_length=200),
        "phone": sub.text("phone", max_length=60),
        "fax": sub.text("fax", max_length=60),
        "email": sub.text("email", max_length=254),
        "postcode": sub.text("postcode"),
        "website": sub.text("website", max_length=200),
    }
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            sub.error(f"office email {values['email']!r} is not a valid e-mail address")
    if values["postcode"] and not POSTCODE_RE.fullmatch(values["postcode"]):
        sub.error(f"office postcode {values['postcode']!r} must be 6 digits")
    if values["website"]:
        try:
            URLValidator()(values["website"])
        except ValidationError:
            sub.error(f"office website {values['website']!r} is not a valid URL")
    reader.errors.extend(
        LineError(e.line, e.message.replace("field '", "field 'office.", 1)) for e in sub.errors
    )
    return OfficeData(**values)


def _remedies(reader: FieldReader) -> RemedyData | None:
    """The optional remedy keys: None when the line has none (what is recorded stays), else all
    of them, a key left out being empty (false for ``vertically_led``)."""
    if not any(key in reader.obj for key in REMEDY_KEYS):
        return None
    led = reader.obj.get("vertically_led", False)
    if led is None:
        led = False
    if not isinstance(led, bool):
        reader.error("field 'vertically_led' must be true or false")
        led = False
    return RemedyData(
        vertically_led=led,
        reconsideration_body=reader.text("reconsideration_body", max_length=200),
        reconsideration_address=reader.text("reconsideration_address", max_length=300),
        court=reader.text("court", max_length=200),
        court_address=reader.text("court_address", max_length=300),
    )


def parse_agency_line(obj: dict, line: int) -> tuple[AgencyData | None, list[LineError]]:
    """One line as AgencyData, or the list of what is wrong with it (parent references are
    checked later, against the whole file)."""
    reader = FieldReader(obj, line, allowed=AGENCY_FIELDS)
    code = normalize_code(reader.text("code", required=True))
    name = reader.text("name", required=True, max_length=200)
    short_name = reader.text("short_name", max_length=60)
    level = reader.text("level", required=True)
    parent = normalize_code(reader.text("parent")) or None
    office = _office(reader)
    remedies = _remedies(reader)
    if code and not is_valid_agency_code(code):
        reader.error(
            f"code {code!r} is not a valid unified social credit code (18 characters) or organisation code "
            "(9 characters): wrong length, character or check character"
        )
    if level and level not in AgencyLevel.values:
        reader.error(f"unknown level {level!r} (expected one of: {', '.join(AgencyLevel.values)})")
    if parent and parent == code:
        reader.error("an agency cannot be its own parent")
    if reader.errors:
        return None, reader.errors
    return AgencyData(
        code=code,
        name=name,
        level=level,
        short_name=short_name,
        parent_code=parent,
        office=office,
        remedies=remedies,
    ), []


def _cycle_errors(records: list[tuple[int, AgencyData]]) -> list[LineError]:
    """Lines whose parent chain, after the import, would lead back to themselves."""
    parents = dict(Agency.objects.values_list("code", "parent__code"))
    for _, data in records:
        parents[data.code] = data.parent_code
    errors = []
    for line, data in records:
        chain, node = [data.code], data.parent_code
        while node is not None and node != data.code and node not in chain and len(chain) <= len(parents):
            chain.append(node)
            node = parents.get(node)
        if node == data.code:
            errors.append(
                LineError(line, f"parent chain loops back to {data.code}: {' → '.join([*chain, node])}")
            )
    return errors


def parse_agency_file(lines: Iterable[bytes | str]) -> tuple[list[tuple[int, AgencyData]], list[LineError]]:
    """All records of a file, or every error in it. A parent must be in the directory already
    or on an earlier line."""
    records: list[tuple[int, AgencyData]] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    existing = set(Agency.objects.values_list("code", flat=True))
    for line, obj in read_jsonl(lines):
        if isinstance(obj, LineError):
            errors.append(obj)
            continue
        data, line_errors = parse_agency_line(obj, line)
        if data is not None and data.code in seen:
            line_errors.append(
                LineError(line, f"code {data.code} is already given on line {seen[data.code]}")
            )
        if data is not None and data.parent_code and data.parent_code not in existing | seen.keys():
            line_errors.append(
                LineError(
                    line,
                    f"unknown parent code {data.parent_code!r}: it is neither in the directory nor on an earlier line",
                )
            )
        if line_errors:
            errors.extend(line_errors)
            continue
        seen[data.code] = line
        records.append((line, data))
    if not errors:
        errors = _cycle_errors(records)
    return records, errors


def import_agencies(lines: Iterable[bytes | str], *, actor=None, dry_run: bool = False) -> AgencyImportResult:
    """Load or update the directory from JSON lines, all or nothing. Raises ImportFailed
    with every error found; otherwise returns how many agencies were created and updated."""
    records, errors = parse_agency_file(lines)
    if errors:
        raise ImportFailed(errors)
    result = AgencyImportResult()
    with all_or_nothing(dry_run=dry_run):
        for line, data in records:
            try:
                _, outcome = agency_upsert(data=data, actor=actor)
            except AgencyError as exc:
                raise ImportFailed([LineError(line, str(exc))]) from exc
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result
