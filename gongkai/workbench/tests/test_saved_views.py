"""Issue 18 item 1, saved views of the agenda: a person names the filters they use and finds
them as links above the list; a view is its owner's alone; a bad name keeps what was typed."""

import pytest
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_office, make_staff
from gongkai.workbench.models import SavedView

pytestmark = pytest.mark.django_db

AGENDA = "/staff/agenda/"
SAVE = "/staff/agenda/views/"
# Walked here (test_access.test_every_workbench_url_is_walked collects the names).
SAVED_VIEW_URLS = ["agenda_view_save", "agenda_view_delete"]


@pytest.fixture
def office():
    return make_office("江州市教育局")


def test_a_clerk_saves_the_filters_and_finds_them_as_a_link(client, office):
    client.force_login(office.clerk)
    page = client.get(AGENDA, {"mine": "on", "overdue": "on"}).content.decode()
    assert "保存当前筛选为视图" in page

    response = client.post(SAVE, {"mine": "on", "overdue": "on", "evil": "1", "name": " 我的逾期 "})
    assert response.status_code == 302 and response["Location"] == f"{AGENDA}?mine=on&overdue=on"
    view = SavedView.objects.get()
    assert (view.user, view.name, view.query) == (office.clerk, "我的逾期", "mine=on&overdue=on")

    page = client.get(AGENDA).content.decode()
    assert 'href="?mine=on&amp;overdue=on" data-saved-view>我的逾期</a>' in page
    # Following the link applies the filters: the boxes come back ticked.
    page = client.get(f"{AGENDA}?{view.query}").content.decode()
    assert page.count("checked") >= 2
    event = AuditEvent.objects.get(action="saved_view_save")
    assert event.after == {"page": "agenda", "name": "我的逾期"}  # the name, never the query


def test_the_same_name_replaces_the_view(client, office):
    client.force_login(office.clerk)
    client.post(SAVE, {"mine": "on", "name": "本周"})
    client.post(SAVE, {"q": "13812345678", "name": "本周"})
    view = SavedView.objects.get()
    assert view.query == "q=13812345678"
    assert "13812345678" not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_a_blank_name_or_no_filter_is_refused_and_keeps_what_was_typed(client, office):
    client.force_login(office.clerk)
    response = client.post(SAVE, {"q": "招生计划", "name": "  "})
    page = response.content.decode()
    assert response.status_code == 400 and "视图名称" in page
    assert 'name="q" value="招生计划"' in page  # the filters shown stay the ones typed
    response = client.post(SAVE, {"name": "空视图"})
    assert response.status_code == 400 and "当前没有筛选条件" in response.content.decode()
    assert 'value="空视图"' in response.content.decode()
    assert not SavedView.objects.exists()


def test_a_view_is_its_owners_alone(client, office):
    client.force_login(office.clerk)
    client.post(SAVE, {"mine": "on", "name": "我的"})
    view = SavedView.objects.get()
    colleague = make_staff(office.agency, Role.CLERK)
    client.force_login(colleague)
    assert "我的</a>" not in client.get(AGENDA).content.decode()
    response = client.post(reverse("workbench:agenda_view_delete", args=[view.pk]), follow=True)
    assert "该视图不存在或已删除" in response.content.decode()
    assert SavedView.objects.filter(pk=view.pk).exists()

    client.force_login(office.clerk)
    assert client.post(reverse("workbench:agenda_view_delete", args=[view.pk])).status_code == 302
    assert not SavedView.objects.exists()
    assert AuditEvent.objects.filter(action="saved_view_delete").count() == 1


def test_anonymous_and_roleless_users_reach_nothing(client, office):
    for url in (SAVE, reverse("workbench:agenda_view_delete", args=[1])):
        response = client.post(url, {"mine": "on", "name": "x"})
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    client.force_login(make_staff(office.agency))
    for url in (SAVE, reverse("workbench:agenda_view_delete", args=[1])):
        assert client.post(url, {"mine": "on", "name": "x"}).status_code == 404
    assert client.get(SAVE).status_code == 405 or client.get(SAVE).status_code == 404
    assert not SavedView.objects.exists()
