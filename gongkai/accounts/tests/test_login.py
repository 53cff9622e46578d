import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"


def test_the_login_page_is_in_chinese_with_labelled_fields(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "工作人员登录" in html
    assert '<label for="id_username">用户名</label>' in html
    assert '<label for="id_password">密码</label>' in html
    assert 'autocomplete="current-password"' in html
    assert "政府信息公开平台" in response.context["site_name"]  # not the host name
    assert response["Cache-Control"].startswith("max-age=0")  # never cached


def test_a_good_login_goes_to_the_workbench(client, staff):
    response = client.post(LOGIN, {"username": "clerk1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_a_good_login_returns_to_the_page_asked_for_but_not_off_site(client, staff):
    response = client.post(LOGIN + "?next=/staff/documents/", {"username": "clerk1", "password": PASSWORD})
    assert response["Location"] == "/staff/documents/"
    client.logout()
    response = client.post(
        LOGIN, {"username": "clerk1", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/staff/"


def test_a_bad_login_keeps_the_username_and_says_what_is_wrong(client, staff):
    response = client.post(LOGIN, {"username": "clerk1", "password": "wrong-password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名或密码不正确" in html
    assert 'role="alert"' in html
    assert 'value="clerk1"' in html
    assert "wrong-password" not in html  # the password is never sent back
    assert "_auth_user_id" not in client.session


def test_an_empty_field_is_marked_and_described(client):
    html = client.post(LOGIN, {"username": "clerk1", "password": ""}).content.decode()
    assert 'id="id_password_errors"' in html
    assert 'aria-describedby="id_password_errors"' in html
    assert 'aria-invalid="true"' in html


def test_a_signed_in_user_visiting_the_login_page_goes_on_to_the_workbench(client, staff):
    client.force_login(staff)
    assert client.get(LOGIN)["Location"] == "/staff/"


def test_logout_is_a_post_and_lands_on_the_login_page(client, staff):
    client.force_login(staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "您已安全退出" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change_needs_a_login_and_applies_the_policy(client, staff):
    url = reverse("accounts:password_change")
    assert client.get(url)["Location"] == f"{LOGIN}?next={url}"
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "当前密码" in html and "新密码" in html
    weak = {
        "old_password": PASSWORD,
        "new_password1": "jiangzhou-gongkai",
        "new_password2": "jiangzhou-gongkai",
    }
    response = client.post(url, weak)
    assert response.status_code == 200
    assert "小写字母、大写字母、数字、符号中的3类" in response.content.decode()
    good = {
        "old_password": PASSWORD,
        "new_password1": "Lushan-Pubinfo-2025",
        "new_password2": "Lushan-Pubinfo-2025",
    }
    response = client.post(url, good, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change_done")
    assert "密码已修改" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password("Lushan-Pubinfo-2025")
    assert "_auth_user_id" in client.session  # still signed in after the change
    event = AuditEvent.objects.get(action="user_password_change")
    assert event.actor == staff and "Lushan" not in str(event.after)
