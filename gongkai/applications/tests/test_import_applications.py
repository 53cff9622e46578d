"""`gongkai import-applications`: an agency's history from its former system, all or nothing,
without personal data, updated (never duplicated) when imported again."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongkai import cli
from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.importing import HISTORICAL_NAME, import_applications, tracking_no_for
from gongkai.applications.models import Application, ClockEventRecord, RemedyCase
from gongkai.applications.rules import ApplicationState, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.calendar_store import workday_add
from gongkai.core.jsonl import ImportFailed
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

RECEIVED = date(2025, 3, 3)  # a Monday


@pytest.fixture
def agency():
    return make_agency("江州市教育局")


def line(**fields) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


def application(ref="2025-001", **extra) -> bytes:
    values = {
        "ref": ref,
        "received_on": RECEIVED.isoformat(),
        "channel": "post",
        "applicant_type": "natural_person",
        "closed_on": "2025-03-20",
        "outcome": "disclosed",
        "fee_yuan": 0,
    }
    values.update(extra)
    return line(**values)


def case(application_ref="2025-001", **extra) -> bytes:
    values = {
        "record": "case",
        "kind": "reconsideration",
        "filed_on": "2025-04-01",
        "decided_on": "2025-05-30",
        "result": "upheld",
        "application_ref": application_ref,
    }
    values.update(extra)
    return line(**values)


def errors_of(lines, agency) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_applications(lines, agency=agency)
    return [str(e) for e in failed.value.errors]


def test_a_closed_application_is_stored_with_its_facts_and_no_personal_data(agency):
    result = import_applications(
        [
            application(
                outcome="partially_disclosed", fee_yuan=12.5, channel="in_person", applicant_type="other_org"
            )
        ],
        agency=agency,
    )
    assert (result.imported, result.updated, result.cases) == (1, 0, 0)
    app = Application.objects.get()
    assert (app.state, app.outcome, app.received_on, app.closed_on) == (
        ApplicationState.CLOSED, Outcome.PARTIALLY_DISCLOSED, RECEIVED, date(2025, 3, 20),
    )  # fmt: skip
    assert (app.channel, app.applicant_type, app.fee_yuan) == ("in_person", "other_org", Decimal("12.50"))
    assert (app.name, app.legacy_ref, app.id_number, app.phone, app.email) == (
        HISTORICAL_NAME,
        "2025-001",
        "",
        "",
        "",
    )
    assert app.tracking_no == tracking_no_for(agency, "2025-001")
    assert app.tracking_no.startswith(f"H{agency.code}") and len(app.tracking_no) <= 32
    # Dated by its receipt, not by the import; no clock: the former system's deadline is unknown.
    assert timezone.localtime(app.submitted_at).date() == RECEIVED
    assert app.reply_due_on is None and not app.clock_events.exists()


def test_no_query_code_opens_a_historical_application(agency):
    import_applications([application()], agency=agency)
    app = Application.objects.get()
    for code in ("", "23456789", app.query_code_hash):
        assert services.application_find(tracking_no=app.tracking_no, query_code=code) is None


def test_an_open_application_is_carried_over_with_a_running_reply_clock(agency):
    import_applications([application(closed_on=None, outcome=None)], agency=agency)
    app = Application.objects.get()
    assert app.state == ApplicationState.RECEIVED and app.outcome == "" and app.closed_on is None
    assert app.reply_due_on == workday_add(RECEIVED, 20).date
    assert list(app.clock_events.values_list("kind", "on")) == [("received", RECEIVED)]
    assert services.clock_state(app, today=RECEIVED).reply_due_on == app.reply_due_on
    assert Application.objects.open().filter(agency=agency).count() == 1


def test_cases_are_recorded_for_applications_in_the_file_or_imported_before(agency):
    import_applications([application("A1")], agency=agency)
    result = import_applications(
        [case("A1"), application("A2"), case("A2", kind="litigation_direct", decided_on=None, result=None)],
        agency=agency,
    )
    assert (result.imported, result.updated, result.cases) == (1, 0, 2)
    cases = {c.application.legacy_ref: c for c in RemedyCase.objects.select_related("application")}
    assert (cases["A1"].kind, cases["A1"].result, cases["A1"].decided_on) == (
        "reconsideration",
        "upheld",
        date(2025, 5, 30),
    )
    assert (cases["A2"].kind, cases["A2"].result, cases["A2"].decided_on) == ("litigation_direct", "", None)
    assert all(c.agency == agency for c in cases.values())


def test_reimporting_updates_instead_of_duplicating(agency):
    lines = [
        application("A1", closed_on=None, outcome=None),
        application("A2"),
        case("A2", decided_on=None, result=None),
    ]
    import_applications(lines, agency=agency)
    again = import_applications(lines, agency=agency)
    assert (again.imported, again.updated, again.cases) == (0, 2, 1)
    assert Application.objects.count() == 2 and RemedyCase.objects.count() == 1
    assert ClockEventRecord.objects.count() == 1
    # The next export from the former system: A1 was closed, A2's case was decided.
    later = [application("A1", outcome="withheld_process"), application("A2"), case("A2")]
    result = import_applications(later, agency=agency)
    assert (result.imported, result.updated, result.cases) == (0, 2, 1)
    a1 = Application.objects.get(legacy_ref="A1")
    assert (a1.state, a1.outcome, a1.closed_on) == (
        ApplicationState.CLOSED,
        "withheld_process",
        date(2025, 3, 20),
    )
    assert RemedyCase.objects.get().result == "upheld" and RemedyCase.objects.count() == 1


def test_a_corrected_receipt_date_moves_the_clock_of_a_carried_over_application(agency):
    import_applications([application(closed_on=None, outcome=None)], agency=agency)
    import_applications([application(closed_on=None, outcome=None, received_on="2025-03-10")], agency=agency)
    app = Application.objects.get()
    assert app.reply_due_on == workday_add(date(2025, 3, 10), 20).date
    assert list(app.clock_events.values_list("on", flat=True)) == [date(2025, 3, 10)]


def test_the_same_ref_in_two_agencies_is_two_applications(agency):
    other = make_agency("江州市财政局")
    import_applications([application()], agency=agency)
    import_applications([application()], agency=other)
    assert Application.objects.filter(legacy_ref="2025-001").count() == 2
    assert tracking_no_for(agency, "2025-001") != tracking_no_for(other, "2025-001")


def test_every_bad_line_is_reported_by_number_and_nothing_is_written(agency):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    lines = [
        application("ok"),
        application("B2", channel="email"),
        application("B3", applicant_type="student", outcome="granted"),
        application("B4", received_on="2025-02-30"),
        application("B5", closed_on="2025-03-01"),
        application("B6", closed_on=None),
        application("B7", outcome=None),
        application("B8", fee_yuan=-5),
        case("nowhere"),
        application("ok"),
        application("B11", received_on=tomorrow, closed_on=None, outcome=None),
        b'{"ref": "B12",',
        case("ok", filed_on="2025-03-01"),
        case("ok", result="won"),
        line(record="decision", ref="B15"),
        case("ok", decided_on="2025-03-31"),
        case("ok", decided_on=None),
        line(received_on="2025-03-03", channel="post", applicant_type="natural_person", extra=1),
    ]
    assert errors_of(lines, agency) == [
        "line 2: field 'channel': unknown code 'email' (expected one of: online, post, in_person, fax, oral)",
        "line 3: field 'applicant_type': unknown code 'student' (expected one of: natural_person, "
        "commercial_enterprise, research_institution, social_welfare_org, legal_service_org, other_org)",
        "line 3: field 'outcome': unknown code 'granted' (expected one of: "
        + ", ".join(Outcome.values)
        + ")",
        "line 4: field 'received_on': '2025-02-30' is not a date (use YYYY-MM-DD)",
        "line 5: closed_on 2025-03-01 is before received_on 2025-03-03",
        "line 6: an outcome needs closed_on (the application was closed with it on that day)",
        "line 7: closed_on needs an outcome (a closed application has exactly one)",
        "line 8: field 'fee_yuan': -5 is negative",
        f"line 9: application_ref 'nowhere' is neither in this file nor imported earlier for {agency.code}",
        "line 10: ref 'ok' is already on line 1",
        f"line 11: field 'received_on': {tomorrow} is in the future",
        "line 12: not valid JSON (Expecting property name enclosed in double quotes at column 15)",
        "line 13: filed_on 2025-03-01 is before application 'ok' was received (2025-03-03)",
        "line 14: field 'result': unknown code 'won' (expected one of: upheld, corrected, other)",
        'line 15: unknown record \'decision\' (expected "application" or "case")',
        "line 16: decided_on 2025-03-31 is before filed_on 2025-04-01",
        "line 17: a result needs decided_on (a pending case has neither)",
        "line 18: unknown field 'extra' (expected: record, ref, received_on, channel, applicant_type, "
        "closed_on, outcome, fee_yuan)",
        "line 18: missing field 'ref'",
    ]
    assert not Application.objects.exists() and not RemedyCase.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_case_for_an_application_of_another_agency_is_refused(agency):
    import_applications([application("X1")], agency=make_agency("江州市财政局"))
    assert errors_of([case("X1")], agency) == [
        f"line 1: application_ref 'X1' is neither in this file nor imported earlier for {agency.code}"
    ]


def test_fees_and_refs_in_the_forms_old_systems_write(agency):
    import_applications(
        [application(1001, fee_yuan="30.00"), application("1002", fee_yuan=None)], agency=agency
    )
    fees = dict(Application.objects.values_list("legacy_ref", "fee_yuan"))
    assert fees == {"1001": Decimal("30.00"), "1002": Decimal("0.00")}
    assert errors_of(
        [
            application("1003", fee_yuan=1.234),
            application("1004", fee_yuan=True),
            application("1005", fee_yuan=1e30),
        ],
        agency,
    ) == [
        "line 1: field 'fee_yuan': 1.234 must be at most 99999999.99 with at most two decimals",
        "line 2: field 'fee_yuan': True is not an amount in yuan (a number such as 0 or 12.50)",
        "line 3: field 'fee_yuan': 1e+30 must be at most 99999999.99 with at most two decimals",
    ]


def test_an_application_handled_in_gongkai_since_its_import_is_not_overwritten(agency):
    clerk = make_staff(agency, Role.CLERK)
    lines = [application("A1", closed_on=None, outcome=None), application("A2", closed_on=None, outcome=None)]
    import_applications(lines, agency=agency)
    a1, a2 = Application.objects.order_by("legacy_ref")
    services.application_merge(duplicate=a1, into=a2, actor=clerk)
    # The same stale lines again: refused, and what staff recorded stays.
    assert errors_of(lines, agency) == [
        f"line 1: application 'A1' ({a1.tracking_no}) has been handled in Gongkai since it was imported; "
        "remove this line to keep what was recorded there"
    ]
    assert Application.objects.get(pk=a1.pk).state == ApplicationState.MERGED


def test_an_import_is_audited_once_with_its_counts(agency):
    import_applications([application("A1"), application("A2"), case("A2")], agency=agency)
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id, event.after) == (
        "applications_import", str(agency.pk), {"imported": 2, "updated": 0, "cases": 1},
    )  # fmt: skip


def test_only_the_agency_administrator_may_import(agency):
    clerk = make_staff(agency, Role.CLERK)
    with pytest.raises(ImportFailed, match="1 error"):
        import_applications([application()], agency=agency, actor=clerk)
    admin = make_staff(agency, Role.ADMINISTRATOR)
    assert import_applications([application()], agency=agency, actor=admin).imported == 1


# --- the command ----------------------------------------------------------------------------


def write(tmp_path, *lines) -> str:
    path = tmp_path / "history.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return str(path)


AGREES = {"report_disagreements": []}  # no imported annual report to disagree with


def run(*args) -> dict:
    out = io.StringIO()
    call_command("import_applications", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_command_prints_counts_and_a_reimport_updates(agency, tmp_path):
    path = write(
        tmp_path, application("A1"), line(record="application", **json.loads(application("A2"))), case("A1")
    )
    assert run(path, "--agency", agency.code) == {"imported": 2, "updated": 0, "cases": 1} | AGREES
    assert run(path, "--agency", agency.code.lower()) == {"imported": 0, "updated": 2, "cases": 1} | AGREES
    assert Application.objects.count() == 2


def test_command_dry_run_writes_nothing(agency, tmp_path):
    path = write(tmp_path, application("A1"), case("A1"))
    counts = {"imported": 1, "updated": 0, "cases": 1}
    assert run(path, "--agency", agency.code, "--dry-run") == counts | AGREES
    assert not Application.objects.exists() and not RemedyCase.objects.exists()


def test_command_lists_line_errors_on_stderr(agency, tmp_path):
    path = write(tmp_path, application("A1"), application("A2", channel="email"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_applications", path, "--agency", agency.code, stderr=err)
    assert err.getvalue().startswith("line 2: field 'channel': unknown code 'email'")
    assert not Application.objects.exists()


def test_command_refuses_an_unknown_agency(agency, tmp_path):
    with pytest.raises(CommandError, match="no agency with code '999999999'"):
        call_command("import_applications", write(tmp_path, application()), "--agency", "999999999")


def test_the_gongkai_command_runs_it(agency, tmp_path, capsys):
    path = write(tmp_path, application())
    assert cli.main(["import-applications", path, "--agency", agency.code, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"imported": 1, "updated": 0, "cases": 0} | AGREES
    assert "import-applications FILE.jsonl --agency CODE" in cli.USAGE
