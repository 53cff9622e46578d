import pytest

from gongkai.agencies.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("gongkai.accounts.tests.urls")]

GATES = ["/staff/gated/", "/staff/gated-class/"]


@pytest.mark.parametrize("url", GATES)
def test_anonymous_users_are_sent_to_the_login_page(client, url):
    response = client.get(url + "?tab=2")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/login/?next={url}%3Ftab%3D2"


@pytest.mark.parametrize("url", GATES)
def test_a_signed_in_user_without_a_role_gets_not_found(client, make_user, url):
    client.force_login(make_user("citizen", role=None))
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize("url", GATES)
@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR])
def test_staff_with_a_role_get_in(client, make_user, url, role):
    client.force_login(make_user("staff1", role=role))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", GATES)
def test_a_superuser_gets_in_without_a_role(client, make_user, url):
    client.force_login(make_user("root", superuser=True))
    assert client.get(url).status_code == 200


def test_a_deactivated_staff_member_is_out(client, make_user):
    user = make_user("former")
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get(GATES[0]).status_code == 302
