"""An application handled through the workbench pages from receipt to delivery, as a clerk does
it: confirmation, correction, consultation, partial disclosure with a redacted file, delivery;
fees the rules refuse; a concurrent decision; the whole file as a zip."""

import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import Application, ApplicationFile, FeeNotice
from gongkai.applications.rules import ApplicationState, Outcome
from gongkai.applications.services import consultation_start
from gongkai.publishing.tests.factories import make_office

from .applications_world import ID_NUMBER, MOBILE, pdf_text, register, sample_pdf, submit_online
from .conftest import form_value

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def _url(name: str, application, **kwargs) -> str:
    return reverse(f"workbench:{name}", kwargs={"pk": application.pk, **kwargs})


def _post(client, name: str, application, data: dict, files=None, **kwargs):
    response = client.post(_url(name, application, **kwargs), {**data, **(files or {})})
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    return response


@pytest.fixture
def office(db):
    return make_office("江州市教育局")


def test_registration_shows_the_receipt_rules_and_the_query_code_once(client, office):
    client.force_login(office.clerk)
    form = client.get(reverse("workbench:application_register")).content.decode()
    assert "以签收之日为收到申请之日" in form and "第三十一条" in form  # RECEIPT_RULES beside the date
    assert "网上申请" not in re.findall(r'<select name="channel".*?</select>', form, re.S)[0]

    response = client.post(
        reverse("workbench:application_register"),
        {
            "agency": office.agency.code, "channel": "oral", "received_on": TODAY, "applicant_type": "natural_person",
            "name": "王五", "id_type": "resident_id", "id_number": ID_NUMBER, "phone": MOBILE,
            "description": "本区2026年老旧小区改造名单", "form": "paper", "delivery": "collect",
        },
    )  # fmt: skip
    assert response.status_code == 302
    application = Application.objects.get(name="王五")
    assert application.channel == "oral" and application.received_on == timezone.localdate()
    assert application.state == ApplicationState.RECEIVED and application.registered_by == office.clerk
    page = client.get(response["Location"]).content.decode()
    code = re.search(r"查询码 <strong>([A-Z0-9]{8})</strong>", page).group(1)
    assert code not in application.query_code_hash
    again = client.get(response["Location"]).content.decode()
    assert code not in again  # shown once
    assert "《条例》第三十一条" in again  # the receipt event with its basis


def test_registration_keeps_what_was_typed_and_says_what_to_fix(client, office):
    client.force_login(office.clerk)
    response = client.post(
        reverse("workbench:application_register"),
        {"agency": office.agency.code, "channel": "post", "received_on": "2099-01-01", "applicant_type": "natural_person",
         "name": "王五", "id_type": "resident_id", "id_number": "110105194912310021", "description": "某某名单",
         "form": "paper", "delivery": "post"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and not Application.objects.exists()
    assert "不能晚于今天" in page and "身份证号码有误" in page and "请填写通信地址" in page
    assert 'value="王五"' in page


def test_an_application_from_receipt_to_delivery_with_partial_disclosure(client, office):
    clerk = office.clerk
    application = submit_online(office)  # the applicant applies online
    client.force_login(clerk)
    detail = _url("application_detail", application)
    page = client.get(detail)
    assert "确认收到申请" in page.content.decode()

    _post(client, "application_confirm", application,
          {"confirm-on": TODAY, "confirm-version": form_value(page, "confirm-version")})  # fmt: skip
    assert application.state == ApplicationState.RECEIVED and application.received_on == timezone.localdate()
    due = application.reply_due_on
    assert due is not None

    _post(client, "application_correction", application,
          {"correction-items": "请写明所需招生计划的年份", "correction-days": 10, "correction-on": TODAY})  # fmt: skip
    assert application.state == ApplicationState.AWAITING_CORRECTION and application.reply_due_on is None
    assert "《条例》第三十条" in client.get(detail).content.decode()

    _post(client, "application_correction_receive", application,
          {"correction_receive-on": TODAY, "correction_receive-description": "2025年招生计划及学生名单"})  # fmt: skip
    assert (
        application.state == ApplicationState.RECEIVED
        and application.description == "2025年招生计划及学生名单"
    )
    assert (
        _url("application_correction", application) not in client.get(detail).content.decode()
    )  # asked once

    _post(client, "application_consult", application,
          {"consult-party": "third_party", "consult-party_name": "江州市第一中学", "consult-on": TODAY})  # fmt: skip
    assert application.clock_paused
    consultation = application.consultations.get()
    page = client.get(detail).content.decode()
    assert "计时暂停" in page and "江州市第一中学" in page
    _post(client, "application_consult_end", application,
          {f"consultation-{consultation.pk}-on": TODAY, f"consultation-{consultation.pk}-answer": "refuse",
           f"consultation-{consultation.pk}-reasons": "名单涉及学生个人信息"},
          consultation_pk=consultation.pk)  # fmt: skip
    assert not application.clock_paused and application.reply_due_on is not None

    page = client.get(detail)
    _post(client, "application_decide", application, {
        "decide-outcome": Outcome.PARTIALLY_DISCLOSED, "decide-reasons": "学生名单涉及个人隐私",
        "decide-withheld_parts": "学生姓名和联系电话｜《条例》第十五条", "decide-provided_how": "电子邮件发送",
        "decide-version": form_value(page, "decide-version"),
    })  # fmt: skip
    assert (
        application.state == ApplicationState.DECIDED and application.outcome == Outcome.PARTIALLY_DISCLOSED
    )

    _post(client, "application_provided_file", application, {"provided-redact": f"Zhang San\n{MOBILE}"},
          files={"provided-file": SimpleUploadedFile("名单.pdf", sample_pdf(), content_type="application/pdf")})  # fmt: skip
    provided = application.files.get(kind=ApplicationFile.Kind.PROVIDED)
    original = application.files.get(kind=ApplicationFile.Kind.PROVIDED_ORIGINAL)
    given = b"".join(client.get(_url("application_file", application, file_pk=provided.pk)).streaming_content)
    assert MOBILE not in pdf_text(given) and "Zhang San" not in pdf_text(given) and "Name" in pdf_text(given)
    kept = b"".join(client.get(_url("application_file", application, file_pk=original.pk)).streaming_content)
    assert MOBILE in pdf_text(kept)  # the original stays, internal

    reply = application.letters.get(kind="reply")
    pdf = client.get(_url("application_letter_pdf", application, letter_pk=reply.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "学生姓名和联系电话" in pdf_text(pdf.content)
    docx = client.get(_url("application_letter_docx", application, letter_pk=reply.pk))
    assert docx.content.startswith(b"PK")

    _post(client, "application_deliver", application,
          {f"letter-{reply.pk}-method": "email", f"letter-{reply.pk}-on": TODAY,
           f"letter-{reply.pk}-proof": "电子邮件发送成功回执"}, letter_pk=reply.pk)  # fmt: skip
    assert application.state == ApplicationState.CLOSED and application.closed_on == timezone.localdate()
    page = client.get(detail).content.decode()
    assert "已办结" in page and "电子邮件发送成功回执" in page
    assert _url("application_decide", application) not in page  # nothing left to decide


def test_a_decision_on_a_changed_application_is_a_conflict_and_keeps_what_was_typed(client, office):
    application = register(office)
    client.force_login(office.clerk)
    page = client.get(_url("application_detail", application))
    stale = form_value(page, "decide-version")
    consultation_start(  # a colleague acts meanwhile
        application=application,
        party="agency",
        party_name="江州市财政局",
        on=timezone.localdate(),
        actor=office.clerk,
    )
    response = client.post(_url("application_decide", application), {
        "decide-outcome": Outcome.WITHHELD_PROCESS, "decide-reasons": "属于内部讨论记录", "decide-version": stale,
    })  # fmt: skip
    assert response.status_code == 409
    text = response.content.decode()
    assert "已被他人处理或修改" in text and "属于内部讨论记录" in text
    application.refresh_from_db()
    assert application.state == ApplicationState.RECEIVED and not application.outcome
    assert form_value(response, "decide-version") == str(application.version)


def test_the_platform_refuses_a_fee_the_rules_do_not_allow(client, office):
    application = register(office)
    client.force_login(office.clerk)
    response = client.post(_url("application_fee_notice", application),
                           {"fee-method": "per_count", "fee-amount": "100.00", "fee-on": TODAY})  # fmt: skip
    assert response.status_code == 200 and "免费范围" in response.content.decode()
    response = client.post(_url("application_fee_notice", application),
                           {"fee-method": "per_volume", "fee-amount": "50.00", "fee-pages": 31, "fee-on": TODAY})  # fmt: skip
    assert response.status_code == 200 and "10.00元" in response.content.decode()
    response = client.post(_url("application_fee_notice", application),
                           {"fee-method": "per_volume", "fee-amount": "100.00", "fee-pages": 40,
                            "fee-exemption": "own_affairs", "fee-on": TODAY})  # fmt: skip
    assert response.status_code == 200 and "不收取信息处理费" in response.content.decode()
    response = client.post(_url("application_fee_notice", application),
                           {"fee-method": "per_count", "fee-amount": "0", "fee-pages": 40, "fee-on": TODAY})  # fmt: skip
    assert response.status_code == 200 and "只能按一种标准计收" in response.content.decode()
    assert not FeeNotice.objects.exists()
    application.refresh_from_db()
    assert not application.clock_paused and not application.letters.exists()


def test_a_fee_is_paid_as_noticed_and_reduced_only_by_the_office_head(client, office):
    application = register(office)
    client.force_login(office.clerk)
    _post(client, "application_fee_notice", application,
          {"fee-method": "per_volume", "fee-amount": "110.00", "fee-pages": 41, "fee-on": TODAY})  # fmt: skip
    fee = application.fees.get()
    assert fee.amount == Decimal("110.00") and application.clock_paused
    waive = {f"fee-{fee.pk}-waive-reduced_to": "20.00", f"fee-{fee.pk}-waive-reason": "申请人经济困难"}
    assert client.post(_url("application_fee_waive", application, fee_pk=fee.pk), waive).status_code == 403
    client.force_login(office.office_head)
    _post(client, "application_fee_waive", application, waive, fee_pk=fee.pk)
    client.force_login(office.clerk)
    pay = {
        f"fee-{fee.pk}-pay-on": TODAY,
        f"fee-{fee.pk}-pay-amount": "110.00",
        f"fee-{fee.pk}-pay-receipt_no": "票据1",
    }
    response = client.post(_url("application_fee_pay", application, fee_pk=fee.pk), pay)
    assert response.status_code == 200 and "20.00" in response.content.decode()
    _post(
        client,
        "application_fee_pay",
        application,
        {**pay, f"fee-{fee.pk}-pay-amount": "20.00"},
        fee_pk=fee.pk,
    )
    fee.refresh_from_db()
    assert fee.paid_amount == Decimal("20.00") and fee.receipt_no == "票据1" and not application.clock_paused


def test_transfer_names_the_agency_that_holds_the_information(client, office):
    application = register(office)
    client.force_login(office.clerk)
    page = client.get(_url("application_detail", application))
    _post(client, "application_transfer", application, {
        "transfer-other_agency": "江州市住房和城乡建设局，电话0571-87654321",
        "transfer-reasons": "该信息由市住建局制作和保存。", "transfer-version": form_value(page, "transfer-version"),
    })  # fmt: skip
    assert application.outcome == Outcome.UNAVAILABLE_NOT_HELD
    assert application.other_agency.startswith("江州市住房和城乡建设局")
    letter = application.letters.get(kind="reply")
    assert "江州市住房和城乡建设局" in "".join(letter.paragraphs)


def test_duplicates_merge_and_several_applicants_suggest_proactive_disclosure(client, office):
    first = register(office)
    duplicate = register(office, description="江州市2025年义务教育阶段学校招生计划")
    client.force_login(office.clerk)
    page = client.get(_url("application_detail", duplicate)).content.decode()
    assert first.tracking_no in page and "同一申请人" in page
    assert "第四十四条" not in page  # one applicant only

    register(office, name="李四", id_number="110101199003077777", phone="", address="江州市1号",
             description="2025年江州市义务教育阶段学校招生计划")  # fmt: skip
    register(office, name="王五", id_type="passport", id_number="E12345678",
             description="江州市2025年义务教育阶段学校招生计划")  # fmt: skip
    page = client.get(_url("application_detail", first)).content.decode()
    suggestion = page.split('id="proactive-suggestion"')[1].split("</div>")[0]
    assert "第四十四条" in suggestion and reverse("workbench:record_new") in suggestion

    _post(client, "application_merge", duplicate, {"merge-into": first.tracking_no})
    assert duplicate.state == ApplicationState.MERGED and duplicate.merged_into == first
    assert duplicate.tracking_no in client.get(_url("application_detail", first)).content.decode()
    response = client.post(_url("application_merge", first), {"merge-into": "000000"})
    assert response.status_code == 200 and "没有编号" in response.content.decode()


def test_a_remedy_case_is_recorded_with_its_result(client, office):
    application = register(office)
    client.force_login(office.clerk)
    _post(client, "application_case", application, {
        "case-kind": "reconsideration", "case-filed_on": TODAY, "case-decided_on": TODAY, "case-result": "upheld",
        "case-note": "复议机关维持原答复",
    })  # fmt: skip
    case = application.cases.get()
    assert case.result == "upheld" and case.agency == office.agency
    assert "结果维持" in client.get(_url("application_detail", application)).content.decode()


def test_the_whole_file_exports_as_one_zip(client, office):
    application = register(office)
    clerk = office.clerk
    client.force_login(clerk)
    _post(client, "application_consult", application,
          {"consult-party": "third_party", "consult-party_name": "江州某某科技有限公司", "consult-on": TODAY})  # fmt: skip
    page = client.get(_url("application_detail", application))
    _post(client, "application_decide", application, {
        "decide-outcome": Outcome.PARTIALLY_DISCLOSED, "decide-reasons": "部分涉及商业秘密",
        "decide-withheld_parts": "合同单价｜《条例》第十五条", "decide-version": form_value(page, "decide-version"),
    })  # fmt: skip
    _post(client, "application_provided_file", application, {"provided-redact": MOBILE},
          files={"provided-file": SimpleUploadedFile("合同.pdf", sample_pdf(), content_type="application/pdf")})  # fmt: skip
    reply = application.letters.get(kind="reply")
    _post(client, "application_deliver", application,
          {f"letter-{reply.pk}-method": "post", f"letter-{reply.pk}-on": TODAY, f"letter-{reply.pk}-proof": "挂号信XA123"},
          letter_pk=reply.pk)  # fmt: skip

    # The applicant's details are in the zip in full only after the handler reveals them with
    # a reason (issue 10, §6; test_personal_data.py covers the masked export).
    _post(client, "application_reveal", application, {"reveal-reason": "归档"})
    response = client.get(_url("application_export", application))
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        names = zf.namelist()
        summary = json.loads(zf.read("案卷摘要.json"))
        text = zf.read("案卷摘要.txt").decode()
        letters = [n for n in names if n.startswith("文书/")]
        files = [n for n in names if n.startswith("材料/")]
        assert all(zf.read(n).startswith(b"%PDF") for n in letters)
        assert any(MOBILE in pdf_text(zf.read(n)) for n in files)  # the internal original is in the file
        assert any(MOBILE not in pdf_text(zf.read(n)) for n in files)  # and the redacted copy
    assert len(letters) == application.letters.count() >= 3  # consultation letters and the reply
    assert len(files) == 2
    assert summary["applicant"]["id_number"] == ID_NUMBER and summary["outcome"] == "部分公开"
    assert [e["basis"] for e in summary["clock_events"]][0].startswith("《条例》第三十一条")
    assert summary["deliveries"][0]["proof"] == "挂号信XA123"
    assert summary["clock"]["steps"] and "挂号信XA123" in text
    raw = json.dumps(summary, ensure_ascii=False)
    assert "sha256" not in raw and "hash" not in raw
    for f in application.files.all():
        assert f.sha256 not in raw and f.sha256 not in text


def test_nothing_is_deleted_a_closed_file_keeps_every_record(client, office):
    application = register(office)
    client.force_login(office.clerk)
    page = client.get(_url("application_detail", application))
    _post(client, "application_decide", application,
          {"decide-outcome": "disclosed", "decide-version": form_value(page, "decide-version")})  # fmt: skip
    reply = application.letters.get(kind="reply")
    _post(client, "application_deliver", application,
          {f"letter-{reply.pk}-method": "collect", f"letter-{reply.pk}-on": TODAY, f"letter-{reply.pk}-proof": "本人签收"},
          letter_pk=reply.pk)  # fmt: skip
    page = client.get(_url("application_detail", application)).content.decode()
    assert reply.title in page and "本人签收" in page and "收到申请" in page and "予以公开" in page
    assert client.get(_url("application_letter_pdf", application, letter_pk=reply.pk)).status_code == 200
