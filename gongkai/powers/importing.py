"""Importing an agency's power list from JSON lines (`gongkai import-powers FILE.jsonl --agency
CODE`). One line is one version of one power:

    {"code": "XK-001", "type": "许可", "name": "...", "effective_from": "2024-01-01",
     "legal_basis": "...", "procedure_steps": ["申请", "受理", "审查", "决定"], ...,
     "decisions": {"2024": 12}}

A code not yet in the list is created; a code already there (or earlier in the file) gets a new
version when the line's effective_from is later than its latest version's; a line identical to a
stored version is left alone, so importing the same file twice changes nothing. Every line is
checked before anything is written and one bad line means nothing is imported (interfaces.md).
Writes go through the services, which check permission and audit each change.
"""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date

from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core.audit import audit_record
from gongkai.core.jsonl import FieldReader, ImportFailed, LineError, all_or_nothing, read_jsonl

from .models import CODE_RE, MAX_STEP_LENGTH, MAX_STEPS, Power, PowerType
from .services import (
    FIRST_YEAR,
    VERSION_FIELDS,
    PowerError,
    VersionFields,
    can_manage_powers,
    decision_count_set,
    power_create,
    power_revise,
)

POWER_FIELDS = ("code", "type", "name", "effective_from", *VERSION_FIELDS, "decisions")
_TEXT_LIMITS = {"time_limit": 200, "responsible_unit": 200, "supervision_phone": 60, "complaint_phone": 60}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")


def _type_names() -> dict[str, str]:
    """Every way a file may name a type: "licensing", "行政许可" or "许可"."""
    names = {}
    for choice in PowerType:
        label = str(choice.label)
        names[choice.value] = names[label] = names[label.removeprefix("行政")] = choice.value
    names["其他"] = PowerType.OTHER.value
    return names


@dataclass(frozen=True)
class PowerLine:
    line: int
    code: str
    type: str
    name: str
    effective_from: date
    values: VersionFields
    decisions: dict[int, int]


@dataclass
class PowerImportResult:
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    decision_counts: int = 0


def _effective_from(reader: FieldReader) -> date | None:
    raw = reader.text("effective_from", required=True)
    if not raw:
        return None
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        reader.error(f"field 'effective_from': {raw!r} is not a date (use YYYY-MM-DD)")
        return None


def _steps(reader: FieldReader) -> list[str]:
    value = reader.obj.get("procedure_steps")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(step, str) for step in value):
        reader.error("field 'procedure_steps' must be a list of step names (strings)")
        return []
    steps = [step.strip() for step in value]
    if len(steps) > MAX_STEPS:
        reader.error(f"field 'procedure_steps' has {len(steps)} steps; at most {MAX_STEPS}")
    for number, step in enumerate(steps, 1):
        if not step:
            reader.error(f"field 'procedure_steps': step {number} is empty")
        elif len(step) > MAX_STEP_LENGTH:
            reader.error(
                f"field 'procedure_steps': step {number} is longer than {MAX_STEP_LENGTH} characters"
            )
    return steps


def _decisions(reader: FieldReader) -> dict[int, int]:
    value = reader.object("decisions") or {}
    counts, this_year = {}, timezone.localdate().year
    for year, count in value.items():
        if not _YEAR.fullmatch(year) or not FIRST_YEAR <= int(year) <= this_year:
            reader.error(f"field 'decisions': {year!r} is not a year from {FIRST_YEAR} to {this_year}")
        elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
            reader.error(f"field 'decisions': the count for {year} must be a whole number, 0 or more")
        else:
            counts[int(year)] = count
    return counts


def parse_power_line(obj: dict, line: int, type_names: dict[str, str]) -> PowerLine | list[LineError]:
    reader = FieldReader(obj, line, allowed=POWER_FIELDS)
    code = reader.text("code", required=True)
    if code and not CODE_RE.fullmatch(code):
        reader.error(
            f"field 'code': {code!r} is not a power code (letters, digits, '.', '_', '-'; 64 at most)"
        )
    raw_type = reader.text("type", required=True)
    if raw_type and raw_type not in type_names:
        choices = ", ".join(t.value for t in PowerType)
        reader.error(
            f"field 'type': unknown type {raw_type!r} (expected one of: {choices}, or 许可, 处罚...)"
        )
    name = reader.text("name", required=True, max_length=200)
    effective_from = _effective_from(reader)
    text = {
        key: reader.text(key, max_length=_TEXT_LIMITS.get(key))
        for key in VERSION_FIELDS
        if key != "procedure_steps"
    }
    values = VersionFields(**text, procedure_steps=_steps(reader))
    decisions = _decisions(reader)
    if reader.errors:
        return reader.errors
    return PowerLine(line, code, type_names[raw_type], name, effective_from, values, decisions)


def parse_power_file(lines: Iterable[bytes | str]) -> tuple[list[PowerLine], list[LineError]]:
    """The file's lines as records, and every error found in them (nothing read from the database)."""
    records, errors, type_names = [], [], _type_names()
    seen: dict[tuple[str, date], int] = {}
    for number, item in read_jsonl(lines):
        if isinstance(item, LineError):
            errors.append(item)
            continue
        parsed = parse_power_line(item, number, type_names)
        if isinstance(parsed, list):
            errors.extend(parsed)
            continue
        key = (parsed.code, parsed.effective_from)
        if key in seen:
            errors.append(
                LineError(
                    number, f"code {parsed.code!r} from {parsed.effective_from} is also on line {seen[key]}"
                )
            )
            continue
        seen[key] = number
        records.append(parsed)
    return records, errors


class _Importer:
    """Applies the records in file order; stored state is checked line by line (in English,
    for the command line) before each service call."""

    def __init__(self, agency: Agency, actor):
        self.agency, self.actor = agency, actor
        self.result, self.errors = PowerImportResult(), []
        self.powers = {p.code: p for p in Power.objects.filter(agency=agency).prefetch_related("versions")}
        self.versions = {code: list(p.versions.all()) for code, p in self.powers.items()}

    def error(self, record: PowerLine, message: str) -> None:
        self.errors.append(LineError(record.line, message))

    def apply(self, record: PowerLine) -> None:
        try:
            power = self._power(record)
            if power is not None:
                for year, count in sorted(record.decisions.items()):
                    decision_count_set(power=power, year=year, count=count, actor=self.actor)
                    self.result.decision_counts += 1
        except PowerError as exc:  # a rule the checks above did not foresee: the service's words
            self.error(record, str(exc))

    def _power(self, record: PowerLine) -> Power | None:
        power = self.powers.get(record.code)
        if power is None:
            power = power_create(
                agency=self.agency,
                code=record.code,
                type=record.type,
                name=record.name,
                effective_from=record.effective_from,
                values=record.values,
                actor=self.actor,
            )
            self.powers[record.code] = power
            self.versions[record.code] = list(power.versions.all())
            self.result.created += 1
            return power
        if (power.type, power.name) != (record.type, record.name):
            self.error(
                record,
                f"code {record.code!r} is already {power.name!r} ({power.type}); a power's type and name "
                "do not change: give a changed power a new code",
            )
            return None
        versions = self.versions[record.code]
        same_day = next((v for v in versions if v.effective_from == record.effective_from), None)
        if same_day is not None:
            if VersionFields.of(same_day) == record.values.normalized():
                self.result.unchanged += 1
                return power
            self.error(
                record,
                f"code {record.code!r} already has a different version from {record.effective_from}; "
                "versions are kept as published: give the change a later effective_from",
            )
            return None
        latest = max(v.effective_from for v in versions)
        if record.effective_from < latest:
            self.error(
                record,
                f"code {record.code!r}: effective_from {record.effective_from} is before its latest version "
                f"({latest}); a new version must take effect later",
            )
            return None
        version = power_revise(
            power=power, effective_from=record.effective_from, values=record.values, actor=self.actor
        )
        versions.append(version)
        self.result.revised += 1
        return power


def import_powers(
    lines: Iterable[bytes | str], *, agency: Agency, actor=None, dry_run: bool = False
) -> PowerImportResult:
    """Import ``agency``'s power list, all or nothing. Raises ImportFailed with every error found,
    by line. With ``dry_run`` the writes are made and rolled back, so the counts and errors are
    those a real run would give. ``actor`` None is the operator at the command line."""
    if actor is not None and not can_manage_powers(actor, agency):
        raise ImportFailed([LineError(0, "you may not import the power list of this agency")])
    records, errors = parse_power_file(lines)
    if errors:
        raise ImportFailed(errors)
    with all_or_nothing(dry_run=dry_run):
        importer = _Importer(agency, actor)
        for record in records:
            importer.apply(record)
        if importer.errors:
            raise ImportFailed(sorted(importer.errors, key=lambda e: e.line))
        audit_record(actor=actor, action="powers_import", obj=agency, after=asdict(importer.result))
    return importer.result
