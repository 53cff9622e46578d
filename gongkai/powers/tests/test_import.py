"""`gongkai import-powers`: a whole list in one file, all or nothing, errors by line number,
revisions as new versions, and the same file twice changes nothing."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongkai import cli
from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.jsonl import ImportFailed
from gongkai.core.models import AuditEvent
from gongkai.powers.importing import import_powers
from gongkai.powers.models import DecisionCount, Power, PowerVersion
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def power(code="XK-001", **changes) -> str:
    record = {
        "code": code,
        "type": "许可",
        "name": "道路旅客运输经营许可",
        "effective_from": "2024-01-01",
        "legal_basis": "《中华人民共和国道路运输条例》第十条",
        "procedure_steps": ["申请", "受理", "审查", "决定"],
        "time_limit": "20个工作日",
        "supervision_phone": "0791-12345678",
        **changes,
    }
    return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)


@pytest.fixture
def agency():
    return make_agency("江州市交通运输局")


def errors_of(lines, agency) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_powers(lines, agency=agency)
    return [str(e) for e in failed.value.errors]


def test_a_list_is_imported_with_versions_and_decision_counts(agency):
    lines = [
        power("XK-001"),
        power("XK-001", effective_from="2025-03-01", time_limit="15个工作日"),
        power("CF-001", type="行政处罚", name="对擅自从事经营的处罚", decisions={"2024": 31, "2025": 4}),
        power("QT-001", type="other", name="其他事项", procedure_steps=None),
    ]
    result = import_powers(lines, agency=agency)
    assert (result.created, result.revised, result.unchanged, result.decision_counts) == (3, 1, 0, 2)
    xk = Power.objects.get(code="XK-001")
    assert [
        (v.effective_from, v.effective_to, v.time_limit) for v in xk.versions.order_by("effective_from")
    ] == [
        (date(2024, 1, 1), date(2025, 2, 28), "20个工作日"),
        (date(2025, 3, 1), None, "15个工作日"),
    ]
    assert Power.objects.get(code="CF-001").type == "penalty"
    assert Power.objects.get(code="QT-001").versions.get().procedure_steps == []
    assert {(d.year, d.count) for d in DecisionCount.objects.all()} == {(2024, 31), (2025, 4)}


def test_importing_the_same_file_again_changes_nothing(agency):
    lines = [power("XK-001"), power("XK-001", effective_from="2025-03-01", time_limit="15个工作日")]
    import_powers(lines, agency=agency)
    result = import_powers(lines, agency=agency)
    assert (result.created, result.revised, result.unchanged) == (0, 0, 2)
    assert PowerVersion.objects.count() == 2


def test_every_error_is_reported_with_its_line_and_nothing_is_written(agency):
    lines = [
        power("XK-001"),
        "{not json",
        power("XK 2"),
        power("XK-003", type="税收", effective_from="2024/01/01"),
        "",
        power("XK-004", name="", procedure_steps=["申请", ""], colour="red"),
        power("XK-005", decisions={"2999": 1, "2024": -2}),
        power("XK-001"),
    ]
    assert errors_of(lines, agency) == [
        "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "line 3: field 'code': 'XK 2' is not a power code (letters, digits, '.', '_', '-'; 64 at most)",
        "line 4: field 'type': unknown type '税收' (expected one of: licensing, levy, penalty, enforcement, "
        "inspection, confirmation, benefit, reward, adjudication, other, or 许可, 处罚...)",
        "line 4: field 'effective_from': '2024/01/01' is not a date (use YYYY-MM-DD)",
        "line 6: unknown field 'colour' (expected: code, type, name, effective_from, legal_basis, conditions, "
        "materials, procedure_steps, time_limit, fees, fee_basis, responsible_unit, supervision_phone, "
        "complaint_phone, decisions)",
        "line 6: field 'name' is empty",
        "line 6: field 'procedure_steps': step 2 is empty",
        "line 7: field 'decisions': '2999' is not a year from 1990 to " + str(timezone.localdate().year),
        "line 7: field 'decisions': the count for 2024 must be a whole number, 0 or more",
        "line 8: code 'XK-001' from 2024-01-01 is also on line 1",
    ]
    assert not Power.objects.exists() and not AuditEvent.objects.exists()


def test_errors_against_the_stored_list_are_reported_by_line_and_roll_everything_back(agency):
    import_powers([power("XK-001"), power("XK-002", effective_from="2025-01-01")], agency=agency)
    lines = [
        power("XK-009"),  # fine on its own
        power("XK-001", time_limit="10个工作日"),  # same day, different content
        power("XK-002", effective_from="2024-06-01", time_limit="10个工作日"),  # before the latest
        power("XK-001", effective_from="2025-01-01", name="另一个名称"),
    ]
    assert errors_of(lines, agency) == [
        "line 2: code 'XK-001' already has a different version from 2024-01-01; versions are kept as "
        "published: give the change a later effective_from",
        "line 3: code 'XK-002': effective_from 2024-06-01 is before its latest version (2025-01-01); "
        "a new version must take effect later",
        "line 4: code 'XK-001' is already '道路旅客运输经营许可' (licensing); a power's type and name do "
        "not change: give a changed power a new code",
    ]
    assert not Power.objects.filter(code="XK-009").exists()
    assert PowerVersion.objects.count() == 2


def test_an_actor_needs_the_role(agency):
    with pytest.raises(ImportFailed, match="1 error"):
        import_powers([power()], agency=agency, actor=make_staff(agency, Role.CLERK))
    result = import_powers([power()], agency=agency, actor=make_staff(agency, Role.ADMINISTRATOR))
    assert result.created == 1


def test_the_import_is_audited(agency):
    import_powers([power(decisions={"2024": 3})], agency=agency)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["power_create", "decision_count_set", "powers_import"]


# --- the command -----------------------------------------------------------------------------


def write(tmp_path, *lines) -> str:
    path = tmp_path / "powers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run(*args) -> dict:
    out = io.StringIO()
    call_command("import_powers", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_command_prints_counts_and_dry_run_writes_nothing(agency, tmp_path):
    path = write(
        tmp_path, power("XK-001", decisions={"2024": 2}), power("CF-001", type="处罚", name="处罚事项")
    )
    expected = {"created": 2, "revised": 0, "unchanged": 0, "decision_counts": 1}
    assert run(path, "--agency", agency.code, "--dry-run") == expected
    assert not Power.objects.exists()
    assert run(path, "--agency", agency.code) == expected
    assert Power.objects.count() == 2


def test_command_lists_line_errors_on_stderr(agency, tmp_path):
    path = write(tmp_path, power("XK-001"), power("XK-002", type="tax"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_powers", path, "--agency", agency.code, stderr=err)
    assert err.getvalue().startswith("line 2: field 'type': unknown type 'tax'")
    assert not Power.objects.exists()


def test_command_refuses_an_unknown_agency(tmp_path):
    with pytest.raises(CommandError, match="no agency with code '999999999'"):
        call_command("import_powers", write(tmp_path, power()), "--agency", "999999999")


def test_the_gongkai_command_runs_it(agency, tmp_path, capsys):
    path = write(tmp_path, power())
    assert cli.main(["import-powers", path, "--agency", agency.code, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 1
    assert "import-powers FILE.jsonl --agency CODE" in cli.USAGE
