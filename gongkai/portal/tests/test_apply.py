"""Applying for disclosure on the portal: the form, its errors, abuse limits, the confirmation
with its receipt, and following progress with the tracking number and query code."""

import io
import struct
import uuid
import zlib

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application, ApplicationFile
from gongkai.applications.rules import ApplicationState, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.checksums import uscc_check_char
from gongkai.portal.templatetags.portal import cn_date
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
USCC = "91110108551385082" + uscc_check_char("91110108551385082")
BAD_USCC = USCC[:-1] + ("1" if USCC[-1] != "1" else "2")
APPLY = "/apply/"


@pytest.fixture
def agency():
    return make_agency("江州市教育局")


@pytest.fixture
def clerk(agency):
    return make_staff(agency, Role.CLERK)


def form_data(agency, **overrides):
    values = {
        "token": str(uuid.uuid4()),
        "agency": agency.code,
        "applicant_type": "natural_person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "江州市滨江区江滨路1号",
        "postcode": "",
        "description": "2025年江州市义务教育阶段学校招生计划",
        "doc_no": "江教发〔2025〕3号",
        "purpose": "",
        "form": "electronic",
        "delivery": "email",
        "website": "",
    }
    values.update(overrides)
    return values


def submit(client, agency, remote_addr="192.0.2.1", **overrides):
    return client.post(APPLY, form_data(agency, **overrides), REMOTE_ADDR=remote_addr)


def png_bytes() -> bytes:
    """A real 8x8 white PNG (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\xff" * 24 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def submitted_codes(client) -> tuple[str, str]:
    done = client.session["apply_done"]
    return done["tracking_no"], done["query_code"]


# --- the form ------------------------------------------------------------------------------


def test_form_preselects_the_agency_and_works_without_javascript(client, agency):
    html = client.get(f"{APPLY}?agency={agency.code}").content.decode()
    assert f'<option value="{agency.code}" selected>' in html
    # Both sets of applicant fields are in the page; the script only hides the other one.
    assert 'name="id_number"' in html and 'name="org_code"' in html
    assert 'name="token"' in html and 'name="website"' in html and "请勿填写" in html


def test_errors_are_in_chinese_and_keep_what_was_typed(client, agency):
    response = submit(client, agency, description="", phone="13900001111", email="", address="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "申请未能提交" in html and "这个字段是必填项" in html
    assert 'value="13900001111"' in html and 'value="张三"' in html and "江教发〔2025〕3号" in html
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "number",
    ["110105194912310021", "11010519491331002X"],  # a wrong check digit; no 31st of the 13th month
)
def test_an_invalid_resident_id_is_refused_with_the_reason(client, agency, number):
    html = submit(client, agency, id_number=number).content.decode()
    assert "居民身份证号码有误" in html
    assert not Application.objects.exists()


def test_another_identity_document_is_accepted_without_the_checksum(client, agency):
    response = submit(client, agency, id_type="passport", id_number="E12345678")
    assert response.status_code == 302
    assert Application.objects.get().id_type == "passport"


def test_an_organisation_needs_a_valid_credit_code_and_a_contact(client, agency):
    html = submit(
        client, agency, applicant_type="research_institution", name="江州市教育科学研究所", org_code=BAD_USCC
    ).content.decode()
    assert "统一社会信用代码有误" in html and "请填写联系人" in html
    response = submit(
        client,
        agency,
        applicant_type="research_institution",
        name="江州市教育科学研究所",
        org_code=USCC.lower(),
        contact_name="李四",
        id_type="",
        id_number="",
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_type == "research_institution" and application.org_code == USCC


def test_the_form_is_still_protected_against_cross_site_posts(agency):
    # The view reads the upload limit before the CSRF check, which it then makes itself.
    response = Client(enforce_csrf_checks=True).post(APPLY, form_data(agency))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_the_honeypot_refuses_a_robot(client, agency):
    html = submit(client, agency, website="http://spam.example").content.decode()
    assert "提交失败" in html
    assert not Application.objects.exists()


# --- idempotency and abuse limits ------------------------------------------------------------


def test_a_double_submit_makes_one_application_and_shows_the_first_result(client, agency):
    data = form_data(agency)
    first = client.post(APPLY, data)
    second = client.post(APPLY, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/apply/done/"
    assert Application.objects.count() == 1
    assert Application.objects.get().tracking_no in client.get("/apply/done/").content.decode()


def test_a_replayed_form_from_another_session_makes_no_second_application(client, agency):
    data = form_data(agency)
    client.post(APPLY, data)
    html = Client().post(APPLY, data).content.decode()
    assert "该申请已提交" in html
    assert Application.objects.count() == 1


def test_submissions_are_limited_per_address(client, agency):
    for i in range(services.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
        response = submit(client, agency, description=f"第{i}份申请", remote_addr="203.0.113.9")
        assert response.status_code == 302
    refused = client.post(APPLY, form_data(agency), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert 'value="张三"' in refused.content.decode()
    assert client.post(APPLY, form_data(agency), REMOTE_ADDR="203.0.113.10").status_code == 302


def test_submissions_are_limited_per_identity(client, agency):
    for i in range(services.SUBMISSIONS_PER_IDENTITY_PER_DAY):
        assert submit(client, agency, remote_addr=f"198.51.100.{i + 1}").status_code == 302
    refused = submit(client, agency, remote_addr="198.51.100.200")
    assert refused.status_code == 429 and "今日提交的申请已达上限" in refused.content.decode()


# --- identity proof --------------------------------------------------------------------------


def test_an_identity_proof_is_stored_with_the_application(client, agency):
    response = submit(client, agency, identity_proof=upload("身份证.png", png_bytes(), "image/png"))
    assert response.status_code == 302
    proof = ApplicationFile.objects.get()
    assert proof.kind == ApplicationFile.Kind.IDENTITY_PROOF and proof.content_type == "image/png"
    assert proof.title == "身份证.png" and "身份证" not in proof.file.name  # stored under a generated name


def test_a_too_big_identity_proof_is_refused_before_it_is_read(client, agency, settings):
    settings.GONGKAI_MAX_IDENTITY_PROOF_BYTES = 2048
    response = submit(
        client, agency, identity_proof=upload("scan.png", png_bytes() + b"\0" * 4096, "image/png")
    )
    html = response.content.decode()
    assert "文件超过大小上限" in html and 'value="张三"' in html
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.png", "这不是图片".encode(), "文件内容与扩展名不符"),
        ("setup.exe", b"MZ\x90\x00" + b"\0" * 64, "不支持"),
    ],
)
def test_an_identity_proof_of_the_wrong_type_is_refused_on_the_field(client, agency, name, data, message):
    html = submit(client, agency, identity_proof=upload(name, data)).content.decode()
    assert message in html and 'id="id_identity_proof_error"' in html
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()


# --- confirmation and receipt ----------------------------------------------------------------


def test_the_confirmation_shows_the_query_code_once(client, agency):
    submit(client, agency)
    tracking_no, code = submitted_codes(client)
    first = client.get("/apply/done/").content.decode()
    assert tracking_no in first and code in first
    assert services.application_find(tracking_no=tracking_no, query_code=code) == Application.objects.get()
    again = client.get("/apply/done/").content.decode()
    assert tracking_no in again and code not in again
    assert Client().get("/apply/done/")["Location"] == APPLY


def test_the_receipt_is_a_pdf_with_the_tracking_number_for_this_session_only(client, agency):
    submit(client, agency)
    tracking_no, _code = submitted_codes(client)
    response = client.get("/apply/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert tracking_no in text
    assert Client().get("/apply/receipt.pdf").status_code == 404


# --- progress --------------------------------------------------------------------------------


def progress(client, tracking_no, code):
    return client.post("/progress/", {"tracking_no": tracking_no, "query_code": code})


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client, agency):
    submit(client, agency)
    tracking_no, code = submitted_codes(client)
    wrong_code = progress(Client(), tracking_no, "ABCDEFGH").content.decode()
    unknown = progress(Client(), "20990101000000", code).content.decode()
    message = "申请编号或查询码不正确"
    assert message in wrong_code and message in unknown
    assert "待确认接收" not in wrong_code and "待确认接收" not in unknown


def test_progress_before_confirmation_awaits_the_office(client, agency):
    submit(client, agency)
    tracking_no, code = submitted_codes(client)
    html = progress(Client(), tracking_no, code.lower()).content.decode()
    assert "待确认接收" in html and "待机关确认" in html and "第三十一条" in html
    assert "张三" not in html and ID_NUMBER not in html and "13812345678" not in html


def test_progress_after_the_office_confirms_shows_receipt_and_due_dates(client, agency, clerk):
    submit(client, agency)
    tracking_no, code = submitted_codes(client)
    today = timezone.localdate()
    application = services.application_confirm_receipt(
        application=Application.objects.get(), on=today, actor=clerk
    )
    html = progress(Client(), tracking_no, code).content.decode()
    assert "办理中" in html
    assert cn_date(today) in html and cn_date(application.reply_due_on) in html
    assert "期限的计算过程" in html and "第三十三条" in html
    # A due date in a year whose holiday notice is not loaded yet says it is provisional.
    assert ("暂定" in html) == services.clock_state(application).provisional


def test_the_reply_is_shown_once_delivered_and_its_pdf_only_to_this_session(client, agency, clerk):
    submit(client, agency)
    tracking_no, code = submitted_codes(client)
    today = timezone.localdate()
    application = services.application_confirm_receipt(
        application=Application.objects.get(), on=today, actor=clerk
    )
    letter = services.application_decide(
        application=application, outcome=Outcome.DISCLOSED, actor=clerk, provided_how="以电子邮件发送"
    )
    applicant = Client()
    assert (
        "下载答复书" not in progress(applicant, tracking_no, code).content.decode()
    )  # decided, not delivered

    services.letter_deliver(letter=letter, method="email", on=today, actor=clerk)
    assert Application.objects.get().state == ApplicationState.CLOSED
    html = progress(applicant, tracking_no, code).content.decode()
    assert letter.title in html and letter.letter_no in html and "予以公开" in html
    assert "张三" not in html and "zhangsan@example.com" not in html
    pdf = applicant.get(f"/progress/letter/{letter.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert Client().get(f"/progress/letter/{letter.pk}.pdf").status_code == 404


def test_pages_link_to_the_application_form(client, agency):
    assert 'href="/apply/"' in client.get("/").content.decode()
    assert f'href="/apply/?agency={agency.code}"' in client.get(f"/agencies/{agency.code}/").content.decode()
    assert (
        f'href="/apply/?agency={agency.code}"'
        in client.get(f"/agencies/{agency.code}/guide/").content.decode()
    )


def test_application_pages_are_never_cached(client, agency):
    assert "no-store" in client.get(APPLY)["Cache-Control"]
    assert "no-store" in client.get("/progress/")["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_make_one_application(agency):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    browser = Client()
    browser.get(APPLY)  # the form page starts the session both requests share
    data = form_data(agency)

    def click(_n):
        tab = Client()
        tab.cookies = browser.cookies
        try:
            return tab.post(APPLY, data)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(click, range(2)))
    assert [r.status_code for r in responses] == [302, 302]
    assert all(r["Location"] == "/apply/done/" for r in responses)
    assert Application.objects.count() == 1
    assert Application.objects.get().tracking_no in browser.get("/apply/done/").content.decode()
