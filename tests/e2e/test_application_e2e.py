"""Disclosure on application end to end in headless Chromium: a citizen applies on a phone;
the office confirms receipt and asks for a correction; the citizen corrects online and the
clock starts again; a third party is consulted; the office decides partial disclosure, provides
a redacted PDF and sends the reply; the citizen reads the reply with the query code."""

import io
import re

import pymupdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from gongkai.agencies.models import Role
from gongkai.applications.models import Application, ApplicationFile
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.calendar_store import workday_add
from gongkai.publishing.tests.factories import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Casework-Flow-2026"
PHONE_NO = "13812345678"


@pytest.fixture
def bureau():
    agency = make_agency("江州市教育局")
    clerk = make_staff(agency, Role.CLERK, username="e2e-clerk")
    clerk.set_password(PASSWORD)
    clerk.save()
    return agency, clerk


def staff_sign_in(page, base, user):
    page.goto(base + "/staff/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/staff/")


def unfold_actions(page):
    """Open the case page's folded action groups (办理, 补正/征求意见, 文书, 送达, 其他): only
    the group of the next step is open, as a clerk finds it; the clerk opens the others."""
    folded = page.locator("details.wb-action-group:not([open]) > summary")
    while folded.count():
        folded.first.click()


def citizen_progress(page, base, tracking_no, query_code):
    page.goto(base + "/progress/")
    page.get_by_label("申请编号").fill(tracking_no)
    page.get_by_label("查询码").fill(query_code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("[data-status]")


def provided_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((50, 72), f"Enrolment plan 2026. Contact: Zhang San, phone {PHONE_NO}.")
    return doc.tobytes()


def test_apply_correct_consult_partially_disclose_and_read_the_reply(
    live_server, phone, page, bureau, tmp_path
):
    agency, clerk = bureau
    base = live_server.url
    today = timezone.localdate()

    # The citizen applies on a phone.
    phone.goto(f"{base}/apply/?agency={agency.code}")
    phone.get_by_label("自然人", exact=True).check()
    phone.get_by_label("姓名或名称").fill("张三")
    phone.get_by_label("证件号码").fill("11010519491231002X")
    phone.get_by_label("联系电话").fill(PHONE_NO)
    phone.get_by_label("电子邮箱").fill("zhangsan@example.com")
    phone.get_by_label("所需信息的内容描述").fill("招生计划")
    phone.get_by_label("电子文档").check()
    phone.get_by_label("电子邮件", exact=True).check()
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url("**/apply/done/")
    tracking_no = phone.locator("[data-tracking-no]").inner_text().strip()
    query_code = phone.locator("[data-query-code]").inner_text().strip()

    # The office confirms receipt and asks for a correction.
    staff_sign_in(page, base, clerk)
    page.goto(base + "/staff/applications/")
    page.get_by_role("link", name=re.compile(tracking_no)).first.click()
    application_url = page.url
    page.get_by_role("button", name="确认收到申请").click()
    expect(page.locator("main")).to_contain_text("办理中")
    unfold_actions(page)
    page.get_by_label("需要补正的事项").fill("请写明所需招生计划的年份和学段")
    page.get_by_role("button", name="生成补正告知书").click()
    expect(page.locator("main")).to_contain_text("待补正")

    # The citizen reads the notice with the query code and corrects online.
    citizen_progress(phone, base, tracking_no, query_code)
    expect(phone.locator("main")).to_contain_text("请写明所需招生计划的年份和学段")
    phone.get_by_label("补正后的申请内容").fill("2026年江州市普通高中招生计划")
    phone.get_by_role("button", name="提交补正").click()
    expect(phone.locator("main")).to_contain_text("答复期限自今日起重新计算")
    app = Application.objects.get(tracking_no=tracking_no)
    assert app.reply_due_on == workday_add(today, 20).date  # the clock restarted today

    # A third party is consulted; its refusal comes back.
    page.goto(application_url)
    unfold_actions(page)
    page.get_by_label("第三方").check()
    page.get_by_label("征求对象名称").fill("江州市第一中学")
    page.get_by_role("button", name="发起征求意见").click()
    expect(page.locator("#consultations-h")).to_be_visible()
    consultations = page.locator("section[aria-labelledby=consultations-h]")
    consultations.locator("summary", has_text="登记征求意见结果").click()
    consultations.get_by_label("不同意公开").check()
    consultations.get_by_label("理由").fill("名单含学生个人信息")
    consultations.get_by_role("button", name="登记").click()
    expect(page.locator("main")).to_contain_text("不同意公开")

    # Partial disclosure: the provided PDF is redacted, then the reply is decided and sent.
    pdf_path = tmp_path / "招生计划.pdf"
    pdf_path.write_bytes(provided_pdf())
    unfold_actions(page)
    page.get_by_label("提供给申请人的文件").set_input_files(str(pdf_path))
    page.get_by_label("需要遮盖的内容（部分公开时）").fill(f"Zhang San\n{PHONE_NO}")
    page.locator("#files").get_by_role("button", name="上传").click()
    expect(page.locator("main")).to_contain_text("招生计划.pdf")
    unfold_actions(page)
    page.get_by_label("处理结果").select_option("partially_disclosed")
    page.get_by_label("理由和依据").fill("招生计划予以公开，其中联系人个人信息不予公开。")
    page.get_by_label("不予公开的部分及理由（部分公开时）").fill(
        "联系人姓名和电话｜涉及个人隐私（《条例》第十五条）"
    )
    page.get_by_label("提供方式").fill("电子邮件发送")
    page.get_by_role("button", name="决定并生成答复书").click()
    expect(page.locator("main")).to_contain_text("已决定待送达")
    reply = page.locator("#letters li", has_text="政府信息公开申请答复书").last
    unfold_actions(page)
    reply.locator("summary", has_text="登记送达").click()
    reply.get_by_label("送达凭证").fill("电子邮件回执")
    reply.get_by_role("button", name="登记送达").click()
    expect(page.locator("main")).to_contain_text("已办结")

    provided = ApplicationFile.objects.get(application=app, kind=ApplicationFile.Kind.PROVIDED)
    with provided.file.open("rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    assert "Enrolment plan" in text and PHONE_NO not in text and "Zhang San" not in text

    # The citizen reads the reply with the query code.
    citizen_progress(phone, base, tracking_no, query_code)
    expect(phone.locator("[data-status]")).to_have_text("已办结")
    letter = phone.locator("article.letter")
    expect(letter).to_contain_text("第三十七条")
    expect(letter).to_contain_text("联系人姓名和电话")
    assert "张三" not in letter.inner_text()  # the portal copy names no one
    with phone.expect_download() as download:
        phone.get_by_role("link", name="下载答复书（PDF）").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
