"""The second factor in headless Chromium, with enrolment mandatory: a clerk signs in, is sent to
the enrolment page, types the secret shown into an "authenticator" (the RFC 6238 computation in
gongkai/accounts/tests/totp.py), confirms, and next time signs in with password and code."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.accounts.tests.totp import key_from_secret, totp, wait_for_a_fresh_step
from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Second-Factor-2026"


@pytest.fixture
def clerk():
    user = make_staff(make_agency("江州市交通运输局"), Role.CLERK, username="e2e-2fa")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in_password(page, base: str) -> None:
    page.goto(base + "/staff/login/")
    page.get_by_label("用户名").fill("e2e-2fa")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_enrol_then_sign_in_with_the_code(page, live_server, clerk, settings):
    settings.GONGKAI_STAFF_2FA_REQUIRED = True
    base = live_server.url
    sign_in_password(page, base)
    expect(page).to_have_url(base + "/staff/account/two-factor/")
    expect(page.get_by_role("status")).to_contain_text("本平台要求工作人员启用两步验证")
    qr = page.locator("figure.qr-code svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 120 and box["width"] == box["height"]
    key = key_from_secret(page.locator("#otp-secret").inner_text())

    # the workbench stays shut until the device is confirmed
    page.goto(base + "/staff/records/")
    expect(page).to_have_url(base + "/staff/account/two-factor/")

    wait_for_a_fresh_step()
    page.get_by_label("动态验证码").fill(totp(key))
    page.get_by_role("button", name="确认并启用").click()
    expect(page).to_have_url(base + "/staff/")
    expect(page.get_by_role("status")).to_contain_text("两步验证已启用")

    page.locator("form.wb-logout button").click()
    expect(page).to_have_url(re.compile(r"/staff/login/"))
    sign_in_password(page, base)
    expect(page).to_have_url(base + "/staff/login/code/")
    page.get_by_label("动态验证码").fill(totp(key, steps_ahead=1))  # the enrolment used this step's
    page.get_by_role("button", name="验证并登录").click()
    expect(page).to_have_url(base + "/staff/")
    expect(page.get_by_role("link", name="两步验证")).to_be_visible()
