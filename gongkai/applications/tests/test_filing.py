"""Filing (归档, issue 18 item 6): closing a case files it with an 档号 by the agency's rule
(gap-free per agency and year), a 卷内目录 of every document in order, and the archive package
with Chinese labels; a filed case is read-only except for its remedy records; all audited."""

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pymupdf
import pytest
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application, CaseFiling, FilingSequence
from gongkai.applications.rules import ApplicantType, ApplicationState, Channel
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.views.application_export import application_package

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 3, 2)
DELIVERED = date(2026, 3, 20)


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    return {
        "agency": agency,
        "clerk": make_staff(agency, Role.CLERK),
        "head": make_staff(agency, Role.OFFICE_HEAD),
    }


def register(office, name="张三"):
    return services.application_register(
        data={
            "agency": office["agency"], "applicant_type": ApplicantType.NATURAL_PERSON, "name": name,
            "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13812345678",
            "address": "江州市滨江区江滨路1号", "description": "2025年义务教育招生计划",
            "form": "electronic", "delivery": "post",
        },
        channel=Channel.POST, received_on=RECEIVED, actor=office["clerk"],
    ).application  # fmt: skip


def close(office, application, on=DELIVERED) -> Application:
    services.application_decide(
        application=application,
        outcome="unavailable_not_held",
        actor=office["clerk"],
        reasons="经检索，本机关不掌握。",
    )
    reply = application.letters.get(kind="reply")
    services.letter_deliver(letter=reply, method="post", on=on, proof="挂号信XA123", actor=office["clerk"])
    application.refresh_from_db()
    return application


def test_closing_a_case_files_it_with_the_next_number_of_its_agency_and_year(office):
    first = close(office, register(office))
    second = close(office, register(office, "李四"))
    code = office["agency"].code
    assert first.state == ApplicationState.CLOSED
    assert first.filing.archive_no == f"{code}·2026·D10·0001"
    assert second.filing.archive_no == f"{code}·2026·D10·0002"
    other = {"agency": make_agency("江州市卫健委")}
    other["clerk"] = make_staff(other["agency"], Role.CLERK)
    assert close(other, register(other)).filing.seq == 1  # each agency counts its own
    next_year = close(office, register(office, "王五"), on=date(2026, 3, 21))
    assert next_year.filing.year == 2026 and next_year.filing.seq == 3
    event = AuditEvent.objects.filter(action="case_file", object_id=str(first.pk)).get()
    assert event.after["archive_no"] == first.filing.archive_no


def test_the_agency_rule_shapes_the_number_and_bad_rules_are_refused(office):
    with pytest.raises(services.NotPermitted):
        services.filing_rule_set(agency=office["agency"], pattern="WS·{year}·{seq:4}", actor=office["clerk"])
    for bad in ("WS·{year}", "WS·{seq:4}", "{code}·{year}·{seq}·{colour}", "{year·{seq}"):
        with pytest.raises(services.ApplicationError):
            services.filing_rule_set(agency=office["agency"], pattern=bad, actor=office["head"])
    services.filing_rule_set(
        agency=office["agency"], pattern="WS·{region}·{year}·{retention}·{seq:4}", region="360400",
        retention="Y", actor=office["head"],
    )  # fmt: skip
    filed = close(office, register(office)).filing
    assert filed.archive_no == "WS·360400·2026·Y·0001" and filed.retention == "Y"
    assert AuditEvent.objects.filter(action="filing_rule_set").count() == 1


def test_a_number_drawn_by_a_case_that_is_not_filed_is_given_again(office):
    application = register(office)
    services.application_decide(
        application=application, outcome="unavailable_not_held", actor=office["clerk"], reasons="不掌握。"
    )
    reply = application.letters.get(kind="reply")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.letter_deliver(letter=reply, method="post", on=DELIVERED, actor=office["clerk"])
        raise RuntimeError("the delivery's transaction fails after filing")
    assert not CaseFiling.objects.exists()
    assert FilingSequence.objects.filter(agency=office["agency"], last__gt=0).count() == 0
    services.letter_deliver(letter=reply, method="post", on=DELIVERED, actor=office["clerk"])
    assert CaseFiling.objects.get().seq == 1  # no gap


def test_the_contents_list_every_document_in_order_without_the_applicants_name(office):
    application = register(office)
    filing = close(office, application).filing
    rows = filing.contents
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    assert set(rows[0]) == {"序号", "文号", "责任者", "题名", "日期", "页数/件", "备注"}
    assert rows[0]["文号"] == application.tracking_no and rows[0]["题名"].startswith("政府信息公开申请")
    titles = [r["题名"] for r in rows]
    reply = application.letters.get(kind="reply")
    reply_row = next(r for r in rows if r["文号"] == reply.letter_no and r["题名"] == reply.title)
    delivery_row = next(r for r in rows if r["题名"].startswith("送达凭证"))
    assert rows.index(reply_row) < rows.index(delivery_row)
    assert delivery_row["日期"] == DELIVERED.isoformat() and delivery_row["备注"] == "挂号信XA123"
    assert reply_row["责任者"] == office["agency"].name
    assert "张三" not in str(rows) and len(titles) >= 3


def test_a_filed_case_is_read_only_except_for_its_remedy_records(office):
    application = close(office, register(office))
    reply = application.letters.get(kind="reply")
    with pytest.raises(services.ApplicationError, match="已归档"):
        services.letter_deliver(letter=reply, method="post", on=DELIVERED, actor=office["clerk"])
    with pytest.raises(services.ApplicationError, match="已归档"):
        services.application_assign(application=application, assignee=office["clerk"], actor=office["clerk"])
    case = services.remedy_case_record(
        application=application, kind="reconsideration", filed_on=date(2026, 4, 1), actor=office["clerk"]
    )
    services.remedy_case_update(
        case=case, decided_on=date(2026, 6, 1), result="upheld", actor=office["clerk"]
    )
    assert application.cases.get().result == "upheld"
    with pytest.raises(services.ApplicationError, match="已归档"):
        services.case_file(application=application, actor=office["clerk"])


def test_a_case_closed_before_filing_existed_is_filed_by_hand(office):
    application = close(office, register(office))
    CaseFiling.objects.filter(application=application).delete()  # as if closed before issue 18
    with pytest.raises(services.ApplicationError):
        services.case_file(application=register(office), actor=office["clerk"])  # still open
    outsider = make_staff(make_agency("江州市财政局"), Role.CLERK)
    with pytest.raises(services.NotPermitted):
        services.case_file(application=application, actor=outsider)
    filing = services.case_file(application=application, actor=office["clerk"])
    assert filing.seq == 2  # the first number stays used: numbers are never given twice


def test_the_archive_package_has_chinese_labels_and_the_contents_as_pdf_xlsx_and_csv(office):
    application = close(office, register(office))
    filing = application.filing
    with zipfile.ZipFile(io.BytesIO(application_package(application))) as zf:
        names = set(zf.namelist())
        assert {"卷内目录.pdf", "卷内目录.xlsx", "卷内目录.csv", "案卷摘要.txt"} <= names
        text = zf.read("案卷摘要.txt").decode()
        rows = list(csv.reader(io.StringIO(zf.read("卷内目录.csv").decode("utf-8-sig"))))
        book = openpyxl.load_workbook(io.BytesIO(zf.read("卷内目录.xlsx")))
        with pymupdf.open(stream=zf.read("卷内目录.pdf"), filetype="pdf") as doc:
            pdf_text = "".join(page.get_text() for page in doc)
    assert "申请编号: " + application.tracking_no in text and f"档号: {filing.archive_no}" in text
    assert "tracking_no" not in text and "clock_events" not in text
    assert rows[0] == ["序号", "文号", "责任者", "题名", "日期", "页数/件", "备注"]
    assert len(rows) == len(filing.contents) + 1 and rows[1][1] == application.tracking_no
    sheet = book["卷内目录"]
    assert filing.archive_no in sheet["A1"].value and sheet["A3"].value == 1
    assert filing.archive_no in pdf_text and "卷内目录" in pdf_text and "送达凭证" in pdf_text


def test_posted_then_signed_for_files_the_case_with_its_delivery_receipt_scan(office):
    application = register(office)
    services.application_decide(
        application=application, outcome="unavailable_not_held", actor=office["clerk"], reasons="不掌握。"
    )
    reply = application.letters.get(kind="reply")
    dispatch = services.letter_post(
        letter=reply,
        method="post",
        on=timezone.localdate(),
        carrier="EMS",
        tracking_no="EA1",
        actor=office["clerk"],
    )
    assert not CaseFiling.objects.exists()  # posted is not delivered: the case is open
    scan = pymupdf.open()
    scan.new_page()
    services.dispatch_signed_for(
        dispatch=dispatch, on=timezone.localdate(), signer="张三", scan=scan.tobytes(), scan_filename="送达回证.pdf",
        actor=office["clerk"],
    )  # fmt: skip
    rows = CaseFiling.objects.get(application=application).contents
    receipt = next(r for r in rows if "送达回证" in r["题名"] and r["页数/件"] == "1页")
    delivered = next(r for r in rows if r["题名"].startswith("送达凭证"))
    assert rows.index(delivered) < rows.index(receipt)  # the proof follows the delivery it proves
    assert rows[-1]["序号"] == len(rows)
