"""Staff keep what they typed across the idle sign-out (issue 10, section 7): a clerk types a
long application description, the session ends while the form is open, the form is sent, the
login page appears; after signing in the same form comes back with the text and a notice."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Idle-Draft-2026x"
TYPED = "申请人来电口述：请公开2025年江州市城区中小学学区划分方案及其听证记录。" * 8


def sign_in(page):
    page.get_by_label("用户名").fill("e2e-drafter")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_typed_text_survives_the_idle_sign_out(page, live_server):
    clerk = make_staff(make_agency("江州市教育局"), Role.CLERK, username="e2e-drafter")
    clerk.set_password(PASSWORD)
    clerk.save()
    base = live_server.url
    page.goto(base + "/staff/login/")
    sign_in(page)
    expect(page).to_have_url(base + "/staff/")

    page.goto(base + "/staff/applications/register/")
    page.locator("textarea[name=description]").fill(TYPED)
    page.locator("input[name=name]").fill("王五")
    Session.objects.all().delete()  # the idle sign-out: the session is gone on the server
    page.get_by_role("button", name="登记").click()

    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    sign_in(page)
    expect(page).to_have_url(base + "/staff/applications/register/")
    expect(page.locator("textarea[name=description]")).to_have_value(TYPED)
    expect(page.locator("input[name=name]")).to_have_value("王五")
    expect(page.get_by_role("status").filter(has_text="已恢复")).to_be_visible()

    # sent again while signed in, the form reaches the server (here it comes back with what is
    # still missing), and its draft is done with: a fresh visit shows an empty form
    page.get_by_role("button", name="登记").click()
    expect(page.locator("textarea[name=description]")).to_have_value(TYPED)  # bound form
    page.goto(base + "/staff/")
    page.goto(base + "/staff/applications/register/")
    expect(page.locator("textarea[name=description]")).to_have_value("")
