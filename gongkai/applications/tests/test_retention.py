"""Anonymising applications after the retention period: when (only closed ones, past the
period, with no live remedy case), what goes (the applicant's data, files, letter text) and
what stays (everything the annual report, the statistics and the assessment count)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pymupdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from gongkai.agencies.models import Agency, Role
from gongkai.applications import retention, services
from gongkai.applications.models import Application, ApplicationFile, Consultation, RemedyCase
from gongkai.applications.rules import ApplicantType, ApplicationState, Channel, Outcome
from gongkai.assessment.facts import facts_for
from gongkai.assessment.scoring import period_parse
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.audit import audit_verify
from gongkai.core.models import AuditEvent
from gongkai.core.retention import ANONYMISED, SCRUBBED, retention_cutoff, years_before
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports.annual import annual_report_data
from gongkai.reports.statistics import statistics_for
from gongkai.reports.tests.history import application as historical
from gongkai.reports.tests.history import case as historical_case
from gongkai.reports.tests.history import load

pytestmark = pytest.mark.django_db

NAME, ID_NUMBER, MOBILE, EMAIL = "张三", "11010519491231002X", "13812345678", "zhangsan@example.com"
ADDRESS, THIRD_PARTY = "江州市滨江区江滨路1号", "江州某某科技有限公司"
PERSONAL = [NAME, ID_NUMBER, MOBILE, EMAIL, ADDRESS, THIRD_PARTY]


def pdf(text: str) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((50, 72), text)
    return doc.tobytes()


def cutoff_after(closed_on: date, days: int = 1) -> date:
    """The cut-off on the day ``days`` after the retention period of ``closed_on`` ends."""
    today = closed_on.replace(year=closed_on.year + 5) + timedelta(days=days)
    return retention_cutoff(today=today)


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    return {
        "agency": agency,
        "clerk": make_staff(agency, Role.CLERK),
        "head": make_staff(agency, Role.OFFICE_HEAD),
    }


def applicant_data(agency: Agency, **overrides) -> dict:
    values = {
        "agency": agency,
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "name": NAME,
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": MOBILE,
        "email": EMAIL,
        "address": ADDRESS,
        "postcode": "310000",
        "purpose": "了解子女入学政策",
        "description": f"2025年江州市义务教育阶段学校招生计划（联系电话{MOBILE}）",
        "form": "electronic",
        "delivery": "email",
    }
    values.update(overrides)
    return values


def closed_application(office, **overrides) -> Application:
    """An online application handled the whole way: identity proof, a third party consulted,
    a fee waived, partly disclosed with a redacted file, the reply delivered today."""
    clerk, today = office["clerk"], timezone.localdate()
    submitted = services.application_submit_online(
        data=applicant_data(office["agency"], **overrides),
        client_ip="10.0.0.7",
        identity_proof=SimpleUploadedFile(f"{NAME}身份证.pdf", pdf("ID card"), "application/pdf"),
    )
    app = services.application_confirm_receipt(application=submitted.application, on=today, actor=clerk)
    services.application_file_add(
        application=app, data=pdf("letter"), filename=f"{NAME}来信.pdf", kind="other", actor=clerk
    )
    consultation = services.consultation_start(
        application=app, party=Consultation.Party.THIRD_PARTY, party_name=THIRD_PARTY, on=today, actor=clerk
    )
    services.consultation_end(
        consultation=consultation,
        on=today,
        answer=Consultation.Answer.REFUSE,
        reasons="涉及商业秘密",
        actor=clerk,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):  # the notice's e-mail leaves on commit
        fee = services.fee_notice_send(
            application=app, method="per_volume", amount=Decimal("10.00"), pages=31, actor=clerk
        )
    services.fee_waive(fee=fee, reduced_to=Decimal(0), reason=f"{NAME}生活困难", actor=office["head"])
    reply = services.application_decide(
        application=app, outcome=Outcome.PARTIALLY_DISCLOSED, actor=clerk, reasons="部分涉及第三方商业秘密",
        withheld_parts=[("报价明细", "涉及商业秘密")],
    )  # fmt: skip
    services.provided_file_add(
        application=app, data=pdf(f"phone {MOBILE}"), filename="招生计划.pdf", redact=[MOBILE], actor=clerk
    )
    services.letter_deliver(letter=reply, method="email", on=today, proof=f"发送至{EMAIL}", actor=clerk)
    app.refresh_from_db()
    return app


def stored(app: Application) -> list[str]:
    return [f.file.name for f in app.files.all()]


def exists(name: str) -> bool:
    return ApplicationFile._meta.get_field("file").storage.exists(name)


def test_a_closed_application_is_kept_until_its_retention_period_has_passed(office):
    app = closed_application(office)
    on_the_last_day = retention_cutoff(today=app.closed_on.replace(year=app.closed_on.year + 5))
    assert not retention.applications_anonymise(cutoff=on_the_last_day).records
    app.refresh_from_db()
    assert app.anonymised_at is None and app.name == NAME and app.files.count() == 4
    assert retention.applications_anonymise(cutoff=cutoff_after(app.closed_on)).records == [app.tracking_no]
    app.refresh_from_db()
    assert app.anonymised_at is not None and app.name == ANONYMISED


def test_the_period_is_a_setting(office, settings):
    app = closed_application(office)
    settings.GONGKAI_PERSONAL_DATA_RETENTION_YEARS = 10
    eleven_years_on = app.closed_on.replace(year=app.closed_on.year + 10) + timedelta(days=1)
    assert retention_cutoff(today=eleven_years_on) == app.closed_on + timedelta(days=1)
    assert not retention.applications_past_retention(cutoff=cutoff_after(app.closed_on)).exists()


def test_before_may_move_the_cutoff_earlier_never_later():
    today = date(2032, 3, 1)
    assert retention_cutoff(today=today, before=date(2020, 1, 1)) == date(2020, 1, 1)
    with pytest.raises(Exception, match="inside the retention period"):
        retention_cutoff(today=today, before=date(2030, 1, 1))
    assert years_before(date(2032, 2, 29), 5) == date(2027, 2, 28)


def test_anonymising_removes_the_applicants_data_and_keeps_the_facts(
    office, django_capture_on_commit_callbacks
):
    app = closed_application(office)
    code_hash, facts = app.query_code_hash, {
        f: getattr(app, f)
        for f in ("tracking_no", "channel", "applicant_type", "state", "outcome", "received_on", "reply_due_on",
                  "decided_on", "closed_on", "fee_yuan", "form", "delivery", "agency_id")
    }  # fmt: skip
    letters = list(app.letters.values_list("pk", "kind", "letter_no", "title", "created_at"))
    with django_capture_on_commit_callbacks(execute=True):
        retention.applications_anonymise(cutoff=cutoff_after(app.closed_on))
    app.refresh_from_db()
    assert app.name == ANONYMISED
    for field in (
        "id_type",
        "id_number",
        "org_code",
        "contact_name",
        "phone",
        "email",
        "address",
        "postcode",
        "purpose",
    ):
        assert getattr(app, field) == "", field
    assert app.client_ip is None and app.query_code_hash != code_hash
    assert app.description == f"2025年江州市义务教育阶段学校招生计划（联系电话{SCRUBBED}）"
    assert {f: getattr(app, f) for f in facts} == facts
    assert list(app.letters.values_list("pk", "kind", "letter_no", "title", "created_at")) == letters
    assert all(letter.paragraphs == [ANONYMISED] for letter in app.letters.all())
    # The reply's delivery, and the fee notice's, delivered online (recorded by the system).
    assert list(app.deliveries.values_list("proof", flat=True)) == ["", ""]
    consultation = app.consultations.get()
    assert (consultation.party_name, consultation.reasons) == (ANONYMISED, "")
    assert consultation.answer == Consultation.Answer.REFUSE  # the fact stays
    assert not app.clock_events.filter(note__contains=NAME).exists()
    assert services.clock_state(app).reply_due_on == app.reply_due_on  # the clock still explains itself


def test_the_applicant_can_no_longer_look_it_up(office):
    submitted = services.application_submit_online(data=applicant_data(office["agency"]))
    app = submitted.application
    app.state, app.outcome, app.closed_on = ApplicationState.CLOSED, Outcome.DISCLOSED, date(2020, 5, 6)
    app.save()
    retention.applications_anonymise(cutoff=date(2026, 1, 1))
    assert services.application_find(tracking_no=app.tracking_no, query_code=submitted.query_code) is None


def test_files_are_deleted_from_storage_with_the_commit(office, django_capture_on_commit_callbacks):
    app = closed_application(office)
    names = stored(app)
    assert len(names) == 4 and all(exists(n) for n in names)  # proof, letter, original, redacted
    with django_capture_on_commit_callbacks() as callbacks:
        result = retention.applications_anonymise(cutoff=cutoff_after(app.closed_on))
    assert result.files == 4 and not ApplicationFile.objects.filter(application=app).exists()
    assert all(exists(n) for n in names)  # nothing leaves storage before the commit
    for callback in callbacks:  # the commit (the page cache's generation bump is one of them)
        callback()
    assert not any(exists(n) for n in names)


def test_a_rolled_back_anonymisation_keeps_rows_and_files_together(
    office, django_capture_on_commit_callbacks
):
    app = closed_application(office)
    names = stored(app)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            retention.application_anonymise(application=app, cutoff=cutoff_after(app.closed_on))
            raise RuntimeError("power cut")
    app.refresh_from_db()
    assert app.anonymised_at is None and stored(app) == names and all(exists(n) for n in names)


def test_orphaned_files_are_swept_after_a_grace_period(office, django_capture_on_commit_callbacks):
    app = closed_application(office)
    storage = ApplicationFile._meta.get_field("file").storage
    orphan = storage.save("applications/left-by-a-crash.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4"))
    kept = stored(app)
    assert retention.application_files_sweep() == []  # too young: its transaction may be running
    later = timezone.now() + timedelta(days=2)
    assert retention.application_files_orphaned(now=later) == [orphan]
    assert all(exists(n) for n in kept) and exists(orphan)


def test_open_applications_are_never_anonymised(office):
    long_ago = date(2015, 3, 2)
    services.application_register(
        data=applicant_data(office["agency"]),
        channel=Channel.POST,
        received_on=long_ago,
        actor=office["clerk"],
    )
    services.application_submit_online(data=applicant_data(office["agency"]))
    result = retention.applications_anonymise(cutoff=date(2099, 1, 1))
    assert result.records == [] and not Application.objects.filter(anonymised_at__isnull=False).exists()


def test_a_pending_remedy_case_keeps_the_application_whatever_its_age(office):
    app = closed_application(office)
    case = services.remedy_case_record(
        application=app, kind=RemedyCase.Kind.RECONSIDERATION, filed_on=app.closed_on, actor=office["clerk"]
    )
    assert not retention.applications_anonymise(cutoff=date(2099, 1, 1)).records
    decided = app.closed_on + timedelta(days=300)
    services.remedy_case_update(case=case, decided_on=decided, result="upheld", actor=office["clerk"])
    # The period then runs from the decision, not from the closing.
    assert not retention.applications_anonymise(cutoff=cutoff_after(app.closed_on)).records
    assert retention.applications_anonymise(cutoff=cutoff_after(decided)).records == [app.tracking_no]


def test_a_merged_duplicate_follows_the_application_it_was_merged_into(office):
    duplicate = services.application_submit_online(data=applicant_data(office["agency"])).application
    app = closed_application(office)
    services.application_merge(duplicate=duplicate, into=app, actor=office["clerk"])
    result = retention.applications_anonymise(cutoff=cutoff_after(app.closed_on))
    assert sorted(result.records) == sorted([app.tracking_no, duplicate.tracking_no])


def test_dry_run_lists_and_changes_nothing(office):
    app = closed_application(office)
    before = list(Application.objects.values())
    events = AuditEvent.objects.count()
    result = retention.applications_anonymise(cutoff=cutoff_after(app.closed_on), dry_run=True)
    assert result.records == [app.tracking_no] and result.files == 4
    assert list(Application.objects.values()) == before and AuditEvent.objects.count() == events
    assert all(exists(n) for n in stored(app))


def test_a_second_run_changes_nothing(office):
    app = closed_application(office)
    cutoff = cutoff_after(app.closed_on)
    retention.applications_anonymise(cutoff=cutoff)
    after = list(Application.objects.values())
    events = AuditEvent.objects.count()
    assert retention.applications_anonymise(cutoff=cutoff).records == []
    assert retention.application_anonymise(application=app, cutoff=cutoff) == 0
    assert list(Application.objects.values()) == after and AuditEvent.objects.count() == events


def test_each_anonymisation_is_audited_without_personal_data_and_the_chain_holds(office):
    app = closed_application(office)
    retention.applications_anonymise(cutoff=cutoff_after(app.closed_on))
    event = AuditEvent.objects.get(action="application_anonymise")
    assert (event.object_id, event.actor_id, event.after["files_deleted"]) == (str(app.pk), None, 4)
    assert audit_verify() == []
    trail = json.dumps(list(AuditEvent.objects.values("before", "after")), ensure_ascii=False)
    assert not [value for value in PERSONAL if value in trail]  # file names are no longer recorded


def test_only_the_command_or_an_administrator_may_anonymise(office):
    app = closed_application(office)
    with pytest.raises(services.NotPermitted):
        retention.applications_anonymise(cutoff=cutoff_after(app.closed_on), actor=office["head"])
    with pytest.raises(services.ApplicationError):
        retention.application_anonymise(application=app, cutoff=app.closed_on)  # still inside the period


def test_report_tables_statistics_and_assessment_facts_are_the_same_before_and_after(office):
    agency, year = office["agency"], timezone.localdate().year
    load(agency, [
        historical("H1", f"{year}-01-05", "natural_person", f"{year}-01-20", "disclosed"),
        historical("H2", f"{year}-02-03", "commercial_enterprise", f"{year}-03-02", "withheld_third_party"),
        historical("H3", f"{year}-03-03", "legal_service_org", f"{year}-03-30", "unprocessed_repeat"),
        historical("H4", f"{year}-04-01", "research_institution"),  # still open
        historical_case("H2", "reconsideration", f"{year}-04-01", f"{year}-06-01", "upheld"),
        historical_case("H3", "litigation_direct", f"{year}-05-01"),  # pending
    ])  # fmt: skip
    closed_application(office)
    closed_application(
        office, applicant_type=ApplicantType.SOCIAL_WELFARE_ORG, name="江州公益基金会", id_number=""
    )

    def figures():
        report = annual_report_data(agency=agency, year=year)
        stats = statistics_for(
            agencies=Agency.objects.filter(pk=agency.pk), year=year, today=date(2099, 1, 1)
        )
        facts = facts_for([agency.pk], period_parse(str(year)), today=date(2099, 1, 1))
        return report, stats, facts

    before = figures()
    result = retention.applications_anonymise(cutoff=date(2099, 1, 1))
    assert len(result.records) == 4  # not the open one, nor the one with a pending lawsuit
    assert figures() == before
    assert before[0]["tables"]["table3"]["litigation_direct"]["pending"] == 1
