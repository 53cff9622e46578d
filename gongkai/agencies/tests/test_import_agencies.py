import io
import json

import pytest
from django.core.management import CommandError, call_command

from gongkai.agencies.importing import import_agencies
from gongkai.agencies.models import Agency, DisclosureOffice
from gongkai.core.checksums import org_code_check_char, uscc_check_char
from gongkai.core.jsonl import ImportFailed
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


CITY = uscc("11369900MB1234567")
DEPT = uscc("11369900MB7654321")
DISTRICT = uscc("11369902MB0000011")
ORG = "12345678" + org_code_check_char("12345678")
OFFICE = {
    "name": "江州市人民政府办公室政务公开科",
    "address": "江州市长虹大道88号",
    "hours": "工作日 9:00—17:00",
    "phone": "0792-8221001",
    "fax": "0792-8221002",
    "email": "zwgk@jiangzhou.example.cn",
    "postcode": "332000",
}


def line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


def good_file() -> list[str]:
    return [
        line(code=CITY, name="江州市人民政府", short_name="江州市政府", level="city", office=OFFICE),
        line(
            code=DEPT,
            name="江州市教育局",
            level="department",
            parent=CITY,
            office={**OFFICE, "name": "市教育局办公室"},
        ),
        line(code=ORG, name="江州市档案馆", level="institution", parent=CITY),
    ]


def errors_of(lines) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_agencies(lines)
    return [str(e) for e in failed.value.errors]


def test_good_file_creates_the_tree_with_offices():
    result = import_agencies(good_file())
    assert (result.created, result.updated) == (3, 0)
    city, dept = Agency.objects.get(code=CITY), Agency.objects.get(code=DEPT)
    assert dept.parent == city and dept.path == f"{city.pk}/{dept.pk}"
    assert set(Agency.objects.below(city).values_list("code", flat=True)) == {CITY, DEPT, ORG}
    assert city.office.postcode == "332000" and city.short_name == "江州市政府"
    assert dept.office.name == "市教育局办公室"
    assert not DisclosureOffice.objects.filter(agency__code=ORG).exists()


def test_every_created_agency_is_audited():
    import_agencies(good_file())
    events = AuditEvent.objects.filter(action="agency_create")
    assert events.count() == 3
    assert (
        events.get(object_id=str(Agency.objects.get(code=CITY).pk)).after["office"]["phone"] == "0792-8221001"
    )


def test_bad_checksum_is_reported_by_line_and_nothing_is_written():
    lines = good_file()
    lines[1] = line(
        code=DEPT[:-1] + ("0" if DEPT[-1] != "0" else "1"), name="江州市教育局", level="department"
    )
    errors = errors_of(lines)
    assert len(errors) == 1 and errors[0].startswith("line 2: code ")
    assert "check character" in errors[0]
    assert not Agency.objects.exists() and not AuditEvent.objects.exists()


def test_unknown_parent_is_reported():
    lines = [line(code=DEPT, name="江州市教育局", level="department", parent=CITY)]
    assert errors_of(lines) == [
        f"line 1: unknown parent code '{CITY}': it is neither in the directory nor on an earlier line"
    ]


def test_a_parent_must_come_before_its_children():
    first, second, _ = good_file()
    errors = errors_of([second, first])
    assert errors[0].startswith("line 1: unknown parent code")
    assert not Agency.objects.exists()


def test_parent_already_in_the_directory_is_accepted():
    import_agencies(good_file()[:1])
    result = import_agencies([line(code=DISTRICT, name="江州市滨江区人民政府", level="county", parent=CITY)])
    assert result.created == 1
    assert Agency.objects.get(code=DISTRICT).parent.code == CITY


def test_each_problem_of_a_file_is_reported_with_its_line():
    lines = [
        "{not json",
        line(name="无代码机关", level="city"),
        line(code=CITY, name="江州市人民政府", level="metropolis"),
        "",
        line(
            code=DEPT, name="江州市教育局", level="department", office={**OFFICE, "email": "not-an-address"}
        ),
        "[1, 2]",
        line(code=ORG, name="档案馆", level="institution", colour="blue"),
    ]
    errors = errors_of(lines)
    assert errors[0].startswith("line 1: not valid JSON")
    assert "line 2: missing field 'code'" in errors
    assert any(e.startswith("line 3: unknown level 'metropolis'") for e in errors)
    assert any(e.startswith("line 5: office email 'not-an-address'") for e in errors)
    assert "line 6: expected a JSON object ({...})" in errors
    assert any(e.startswith("line 7: unknown field 'colour'") for e in errors)
    assert not Agency.objects.exists()


def test_a_code_given_twice_is_an_error():
    first = good_file()[0]
    assert errors_of([first, first]) == [f"line 2: code {CITY} is already given on line 1"]


def test_reimport_updates_by_code_and_audits_the_change():
    import_agencies(good_file())
    renamed = line(
        code=CITY, name="江州市人民政府（新）", level="city", office={**OFFICE, "phone": "0792-8000000"}
    )
    result = import_agencies([renamed])
    assert (result.created, result.updated) == (0, 1)
    city = Agency.objects.get(code=CITY)
    assert city.name == "江州市人民政府（新）" and city.office.phone == "0792-8000000"
    assert Agency.objects.count() == 3
    event = AuditEvent.objects.get(action="agency_update")
    assert event.before["name"] == "江州市人民政府" and event.after["name"] == "江州市人民政府（新）"
    assert event.before["office"]["phone"] == "0792-8221001"


def test_identical_reimport_changes_and_audits_nothing():
    import_agencies(good_file())
    before = AuditEvent.objects.count()
    result = import_agencies(good_file())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.count() == before


def test_moving_an_agency_under_its_own_descendant_is_a_cycle():
    import_agencies(good_file())
    import_agencies([line(code=DISTRICT, name="滨江区人民政府", level="county", parent=DEPT)])
    errors = errors_of([line(code=CITY, name="江州市人民政府", level="city", parent=DISTRICT)])
    assert errors == [f"line 1: parent chain loops back to {CITY}: {CITY} → {DISTRICT} → {DEPT} → {CITY}"]
    assert Agency.objects.get(code=CITY).parent is None


def test_an_agency_cannot_be_its_own_parent():
    assert errors_of([line(code=CITY, name="江州市人民政府", level="city", parent=CITY)]) == [
        "line 1: an agency cannot be its own parent"
    ]


def test_organisation_code_with_hyphen_is_accepted():
    result = import_agencies([line(code=f"{ORG[:8]}-{ORG[8]}", name="档案馆", level="institution")])
    assert result.created == 1 and Agency.objects.filter(code=ORG).exists()


def test_dry_run_writes_nothing():
    result = import_agencies(good_file(), dry_run=True)
    assert result.created == 3
    assert not Agency.objects.exists() and not AuditEvent.objects.exists()


def test_command_prints_counts_as_json(tmp_path):
    path = tmp_path / "agencies.jsonl"
    path.write_text("\n".join(good_file()) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_agencies", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"created": 3, "updated": 0}
    out = io.StringIO()
    call_command("import_agencies", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"created": 0, "updated": 3}


def test_command_reports_line_errors_and_fails(tmp_path):
    path = tmp_path / "agencies.jsonl"
    path.write_text(line(code="123", name="x", level="city") + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_agencies", str(path), stderr=err)
    assert err.getvalue().startswith("line 1: code '123' is not a valid")
