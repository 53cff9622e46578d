"""The catalogue as data: the shipped file is loaded by the migration, a new version updates the
areas in place, retires what it drops and keeps every version; bad files say what is wrong."""

import json

import pytest

from gongkai.core.models import AuditEvent
from gongkai.keyareas import services
from gongkai.keyareas.catalogue_file import SHIPPED, CatalogueFormatError, parse_catalogue
from gongkai.keyareas.models import KeyArea, KeyAreaVersion, StandardItem
from gongkai.publishing.tests.factories import make_staff

from .factories import make_procurement, make_world, stage

pytestmark = pytest.mark.django_db

COMMON = [
    "财政预决算",
    "政府采购",
    "重大建设项目",
    "公共资源交易",
    "征地补偿",
    "社会救助",
    "乡村振兴",
    "安全生产",
    "生态环境",
    "教育",
    "医疗卫生",
]


def test_the_common_areas_ship_with_their_items():
    assert list(KeyArea.objects.values_list("name", flat=True)) == COMMON
    procurement = KeyArea.objects.get(code="procurement")
    assert [i.matter for i in procurement.items.filter(is_stage=True)] == [
        "采购意向", "采购公告", "采购文件", "采购结果", "采购合同",
    ]  # fmt: skip
    construction = KeyArea.objects.get(code="construction")
    assert [i.matter for i in construction.items.all()] == [
        "批准结果", "规划许可", "征收土地", "招标投标", "合同订立", "施工有关信息", "竣工验收",
    ]  # fmt: skip
    assert all(i.deadline == "信息形成或变更之日起20个工作日内" for i in construction.items.all())
    assert KeyAreaVersion.objects.count() == len(COMMON)


def _file(**changes) -> bytes:
    data = json.loads(SHIPPED.read_text())
    area = next(a for a in data["areas"] if a["code"] == "procurement")
    area.update(changes)
    return json.dumps(data, ensure_ascii=False).encode()


def test_a_new_version_updates_retires_and_keeps_the_history():
    world = make_world()
    project = make_procurement(world)
    data = json.loads(SHIPPED.read_text())
    area = next(a for a in data["areas"] if a["code"] == "procurement")
    area["version"] = "2027.1"
    area["items"] = [i for i in area["items"] if i["code"] != "documents"]
    area["items"][0]["deadline"] = "采购活动开始前30日（修订）"
    result = services.keyareas_import(text=json.dumps(data, ensure_ascii=False), actor=None)
    assert result.updated == ["procurement"] and result.retired_items == 1
    assert len(result.unchanged) == len(COMMON) - 1
    assert StandardItem.objects.get(area__code="procurement", code="documents").retired
    assert StandardItem.objects.get(area__code="procurement", code="intention").deadline.endswith("（修订）")
    assert stage(project, "documents").item.retired  # the record still owes what it owed
    versions = KeyAreaVersion.objects.filter(area__code="procurement").order_by("loaded_at")
    assert [v.version for v in versions] == ["2026.1", "2027.1"]
    assert "documents" in json.dumps(versions[0].snapshot)
    assert AuditEvent.objects.filter(action="keyareas.catalogue_load").count() == 1


def test_loading_the_same_version_again_changes_nothing():
    result = services.keyareas_import(text=SHIPPED.read_bytes(), actor=None)
    assert result.created == result.updated == [] and len(result.unchanged) == len(COMMON)


def test_only_a_superuser_loads_the_catalogue():
    world = make_world()
    with pytest.raises(services.NotPermitted):
        services.keyareas_import(text=SHIPPED.read_bytes(), actor=world.supervisor)
    admin = make_staff(world.city)
    admin.is_superuser = True
    services.keyareas_import(text=SHIPPED.read_bytes(), actor=admin)


def test_every_problem_of_a_bad_file_is_reported_with_its_place():
    data = json.loads(SHIPPED.read_text())
    data["areas"][1]["items"][0]["due"] = {"unit": "weeks", "n": 2}
    del data["areas"][1]["items"][2]["basis"]
    data["areas"][3]["record_kind"] = "budget"  # the first area's kind again
    data["areas"][5]["code"] = "projects"  # the public project pages' address
    with pytest.raises(CatalogueFormatError) as exc:
        parse_catalogue(json.dumps(data))
    errors = exc.value.errors
    assert "areas[1].items[0]: due.unit must be one of workdays, days, days_before" in errors
    assert "areas[1].items[2]: basis is required text" in errors
    assert "two areas name the same record_kind" in errors
    assert any(e.startswith("areas[5]: code") for e in errors)


def test_a_file_without_the_format_marker_is_refused():
    with pytest.raises(CatalogueFormatError, match="format"):
        parse_catalogue(b'{"areas": []}')
    with pytest.raises(CatalogueFormatError, match="not JSON"):
        parse_catalogue(b"{")


def test_the_command_loads_a_file_and_reports_errors_in_one_line(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "areas.json"
    path.write_bytes(_file(version="2027.1"))
    call_command("import_key_areas", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["updated"] == ["procurement"] and out["retired_items"] == 0
    path.write_text('{"format": "gongkai-key-areas/1", "areas": [{"code": "x"}]}')
    with pytest.raises(CommandError, match=r"areas\[0\]: name is required"):
        call_command("import_key_areas", str(path))
