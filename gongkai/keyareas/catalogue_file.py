"""The key-area catalogue file (format ``gongkai-key-areas/1``, docs/keyareas.md): parsing with
every error reported at once, and the one writer used both by the data migration (with the
historical models) and by the ``keyareas_import`` service (with the current ones).

Loading a version an area already has is a no-op; a new version updates the area and its items
in place, retires the items it no longer lists (records owing them keep them) and keeps the
whole version as a snapshot (``KeyAreaVersion``)."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .rules import DueUnit, RecordKind

FORMAT = "gongkai-key-areas/1"
SHIPPED = Path(__file__).resolve().parent / "data" / "key_areas.json"
RESERVED_AREA_CODES = {"projects"}  # /keyareas/projects/<id>/ is a project's public page
ITEM_TEXT_FIELDS = ("matter", "content", "basis", "deadline", "subject", "channels", "audience", "method")
ITEM_LIMITS = {"matter": 200, "deadline": 200, "subject": 200, "channels": 300, "audience": 100, "method": 40}


class CatalogueFormatError(ValueError):
    """The file is not a valid catalogue; ``errors`` lists every problem found, with its place."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ItemSpec:
    code: str
    matter: str
    content: str
    basis: str
    deadline: str
    due_unit: str
    due_n: int
    subject: str
    channels: str
    audience: str
    method: str
    is_stage: bool


@dataclass(frozen=True)
class AreaSpec:
    code: str
    name: str
    version: str
    description: str
    basis: str
    record_kind: str | None
    items: list[ItemSpec] = field(default_factory=list)

    def snapshot(self) -> dict:
        return asdict(self)

    def sha256(self) -> str:
        raw = json.dumps(self.snapshot(), ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(raw).hexdigest()


def _slug_ok(value) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= 40
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
    )


def _item(raw, where: str, errors: list[str], *, record_kind) -> ItemSpec | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: an item must be an object")
        return None
    bad = len(errors)
    if not _slug_ok(raw.get("code")):
        errors.append(f"{where}: code must be 1-40 ASCII letters, digits, '-' or '_'")
    for name in ITEM_TEXT_FIELDS:
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{where}: {name} is required text")
        elif name in ITEM_LIMITS and len(value) > ITEM_LIMITS[name]:
            errors.append(f"{where}: {name} is longer than {ITEM_LIMITS[name]} characters")
    due = raw.get("due")
    if not isinstance(due, dict) or due.get("unit") not in DueUnit.values:
        errors.append(f"{where}: due.unit must be one of {', '.join(DueUnit.values)}")
    elif isinstance(due.get("n"), bool) or not isinstance(due.get("n"), int) or not 0 <= due["n"] <= 365:
        errors.append(f"{where}: due.n must be a whole number from 0 to 365")
    stage = raw.get("stage", False)
    if not isinstance(stage, bool):
        errors.append(f"{where}: stage must be true or false")
    elif stage and not record_kind:
        errors.append(f"{where}: a stage item needs an area with a record_kind")
    if len(errors) > bad:
        return None
    return ItemSpec(
        code=raw["code"],
        **{name: raw[name].strip() for name in ITEM_TEXT_FIELDS},
        due_unit=due["unit"],
        due_n=due["n"],
        is_stage=stage,
    )


def _area(raw, where: str, errors: list[str]) -> AreaSpec | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: an area must be an object")
        return None
    bad = len(errors)
    if not _slug_ok(raw.get("code")) or raw.get("code") in RESERVED_AREA_CODES:
        errors.append(f"{where}: code must be 1-40 ASCII letters, digits, '-' or '_', and not 'projects'")
    for name, limit in (("name", 60), ("version", 40)):
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            errors.append(f"{where}: {name} is required text of at most {limit} characters")
    record_kind = raw.get("record_kind") or None
    if record_kind is not None and record_kind not in RecordKind.values:
        errors.append(f"{where}: record_kind must be one of {', '.join(RecordKind.values)}")
    items_raw = raw.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        errors.append(f"{where}: items must be a non-empty list")
        items_raw = []
    items = [
        _item(item, f"{where}.items[{i}]", errors, record_kind=record_kind)
        for i, item in enumerate(items_raw)
    ]
    codes = [i.code for i in items if i]
    if len(codes) != len(set(codes)):
        errors.append(f"{where}: item codes repeat")
    if len(errors) > bad:
        return None
    return AreaSpec(
        code=raw["code"],
        name=raw["name"].strip(),
        version=raw["version"].strip(),
        description=str(raw.get("description") or "").strip(),
        basis=str(raw.get("basis") or "").strip(),
        record_kind=record_kind,
        items=[i for i in items if i],
    )


def parse_catalogue(text: str | bytes) -> list[AreaSpec]:
    """The areas of a catalogue file; raises CatalogueFormatError listing every problem."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CatalogueFormatError([f"not JSON: {exc}"]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogueFormatError([f'the file must be an object with "format": "{FORMAT}"'])
    if not isinstance(data.get("areas"), list) or not data["areas"]:
        raise CatalogueFormatError(["areas must be a non-empty list"])
    errors: list[str] = []
    areas = [_area(raw, f"areas[{i}]", errors) for i, raw in enumerate(data["areas"])]
    codes = [a.code for a in areas if a]
    if len(codes) != len(set(codes)):
        errors.append("area codes repeat")
    kinds = [a.record_kind for a in areas if a and a.record_kind]
    if len(kinds) != len(set(kinds)):
        errors.append("two areas name the same record_kind")
    if errors:
        raise CatalogueFormatError(errors)
    return [a for a in areas if a]


@dataclass
class WriteResult:
    created: list[str] = field(default_factory=list)  # area codes
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired_items: int = 0


def write_catalogue(areas: list[AreaSpec], *, models, loaded_by: str, now) -> WriteResult:
    """Write ``areas`` with ``models`` (an object with KeyArea, StandardItem, KeyAreaVersion: the
    current classes or a migration's historical ones). Call inside a transaction."""
    result = WriteResult()
    for order, spec in enumerate(areas):
        area = models.KeyArea.objects.filter(code=spec.code).first()
        if (
            area is not None
            and models.KeyAreaVersion.objects.filter(area=area, version=spec.version).exists()
        ):
            result.unchanged.append(spec.code)
            continue
        values = {
            "name": spec.name,
            "description": spec.description,
            "basis": spec.basis,
            "record_kind": spec.record_kind,
            "version": spec.version,
            "sort_order": order,
        }
        if area is None:
            area = models.KeyArea.objects.create(code=spec.code, **values)
            result.created.append(spec.code)
        else:
            models.KeyArea.objects.filter(pk=area.pk).update(**values)
            result.updated.append(spec.code)
        for position, item in enumerate(spec.items):
            fields = {k: v for k, v in asdict(item).items() if k != "code"}
            models.StandardItem.objects.update_or_create(
                area=area, code=item.code, defaults={**fields, "sort_order": position, "retired": False}
            )
        result.retired_items += (
            models.StandardItem.objects.filter(area=area, retired=False)
            .exclude(code__in=[i.code for i in spec.items])
            .update(retired=True)
        )
        models.KeyAreaVersion.objects.create(
            area=area,
            version=spec.version,
            loaded_at=now,
            loaded_by=loaded_by,
            sha256=spec.sha256(),
            snapshot=spec.snapshot(),
        )
    return result
