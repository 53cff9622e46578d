"""`gongkai import-applications` for a year that also has an imported annual report says where
the records and the report disagree (issue 12 §2): warnings on stderr, and with --json the list
``report_disagreements``."""

import io
import json

import pytest
from django.core.management import call_command

from gongkai.catalogue.tests.factories import make_agency
from gongkai.reports.rows import SUBTOTALS, TABLE2_COLUMNS, TABLE2_KEYS

from .history import application

pytestmark = pytest.mark.django_db


def import_report(agency, tmp_path) -> None:
    """The agency's 2022 report as printed: one application, from a natural person, disclosed."""
    table2 = {row: dict.fromkeys(TABLE2_COLUMNS, 0) for row in TABLE2_KEYS if row not in SUBTOTALS}
    for row in ("received", "disclosed", "total"):
        table2[row].update(natural_person=1, total=1)
    table3 = {
        kind: dict.fromkeys(("upheld", "corrected", "other", "pending", "total"), 0)
        for kind in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
    }
    path = tmp_path / "report-2022.json"
    path.write_text(json.dumps({"year": 2022, "tables": {"table2": table2, "table3": table3}}), "utf-8")
    call_command("annual_report", "import", str(path), "--agency", agency.code, "--year", "2022",
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip


def import_applications(agency, tmp_path, records, *args) -> tuple[str, str]:
    path = tmp_path / "applications.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_applications", str(path), "--agency", agency.code, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_records_that_disagree_with_the_imported_report_are_listed(tmp_path):
    agency = make_agency("江州市江北区人民政府")
    import_report(agency, tmp_path)

    agreeing = [application("H1", "2022-03-01", "natural_person", "2022-03-20", "disclosed")]
    out, err = import_applications(agency, tmp_path, agreeing, "--json")
    assert json.loads(out)["report_disagreements"] == []
    assert "warning" not in err

    # A second application, still open at 31 December: the report printed one received.
    more = [*agreeing, application("H2", "2022-11-02", "legal_service_org")]
    out, err = import_applications(agency, tmp_path, more, "--json")
    found = json.loads(out)["report_disagreements"]
    received = [d for d in found if d["row"] == "received" and d["column"] == "total"]
    assert received == [
        {"year": 2022, "table": "table2", "row": "received", "column": "total", "report": 1, "records": 2}
    ]
    assert all(d["year"] == 2022 and d["report"] != d["records"] for d in found)

    _out, err = import_applications(agency, tmp_path, more)
    assert (
        "warning: 2022 table2 received/total: the imported annual report printed 1, the records count 2"
        in err
    )


def test_a_year_without_an_imported_report_and_a_dry_run_say_nothing(tmp_path):
    agency = make_agency("江州市江北区人民政府")
    import_report(agency, tmp_path)
    records = [application("H9", "2023-05-01", "natural_person")]  # 2023: no imported report
    out, _err = import_applications(agency, tmp_path, records, "--json")
    assert json.loads(out)["report_disagreements"] == []
    wrong_2022 = [application("H3", "2022-05-01", "legal_service_org")]
    out, _err = import_applications(agency, tmp_path, wrong_2022, "--json", "--dry-run")
    assert json.loads(out) == {"imported": 1, "updated": 0, "cases": 0, "report_disagreements": []}
