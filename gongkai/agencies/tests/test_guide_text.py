"""Issue 12 §4: the office writes what the agency discloses proactively and its other channels
(WeChat account, hotline) on the workbench guide page; each save is a version kept as the
guide's history, and the public guide shows the current one with its history."""

import pytest
from django.urls import reverse

from gongkai.agencies.models import GuideText, Role
from gongkai.agencies.services import NotPermitted, guide_text_update
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db
SCOPE_V1 = "本机关主动公开机构职能、规范性文件、财政预决算等信息。"
SCOPE_V2 = "本机关主动公开《条例》第二十条所列信息，包括：\n一、机构职能；\n二、规范性文件。"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agency():
    return make_agency("江州市教育局")


@pytest.fixture
def head(agency):
    return make_staff(agency, Role.OFFICE_HEAD)


def save(client, agency, **fields):
    data = {"agency": agency.pk, "part": "text", "proactive_scope": "", "wechat": "", "hotline": "", **fields}
    return client.post(reverse("workbench:guide"), data)


def test_each_save_is_a_new_version_audited_and_an_unchanged_save_writes_nothing(agency, head):
    first = guide_text_update(agency=agency, proactive_scope=SCOPE_V1, wechat="江州教育", actor=head)
    again = guide_text_update(agency=agency, proactive_scope=SCOPE_V1 + "  ", wechat="江州教育", actor=head)
    assert again.pk == first.pk and first.version == 1
    second = guide_text_update(
        agency=agency, proactive_scope=SCOPE_V2, wechat="江州教育", hotline="12345", actor=head
    )
    assert second.version == 2
    assert list(GuideText.objects.filter(agency=agency).values_list("version", "proactive_scope")) == [
        (2, SCOPE_V2),
        (1, SCOPE_V1),
    ]
    events = AuditEvent.objects.filter(action="guide_text_update").order_by("id")
    assert [e.after["version"] for e in events] == [1, 2]
    assert events.last().before["proactive_scope"] == SCOPE_V1


def test_only_the_guide_keepers_write_it(agency):
    clerk = make_staff(agency, Role.CLERK)
    with pytest.raises(NotPermitted):
        guide_text_update(agency=agency, proactive_scope=SCOPE_V1, actor=clerk)
    other_head = make_staff(make_agency("江州市财政局"), Role.OFFICE_HEAD)
    with pytest.raises(NotPermitted):
        guide_text_update(agency=agency, proactive_scope=SCOPE_V1, actor=other_head)
    assert not GuideText.objects.exists()


def test_the_office_edits_it_on_the_workbench_and_the_public_guide_shows_it(client, agency, head):
    client.force_login(head)
    assert save(client, agency, proactive_scope=SCOPE_V1).status_code == 302
    response = save(client, agency, proactive_scope=SCOPE_V2, wechat="江州教育发布", hotline="0792-12345")
    assert response.status_code == 302
    html = client.get(reverse("workbench:guide"), {"agency": agency.pk}).content.decode()
    assert "data-guide-versions" in html and "第2版" in html and "第1版" in html
    assert 'value="江州教育发布"' in html

    client.logout()
    guide = client.get(reverse("portal:guide", args=[agency.code])).content.decode()
    assert 'id="proactive-scope"' in guide and "一、机构职能；" in guide
    assert 'id="proactive-scope-history"' in guide and SCOPE_V1 in guide  # the earlier version
    assert "政务微信公众号：江州教育发布" in guide and "咨询热线：0792-12345" in guide


def test_a_guide_without_the_text_says_nothing_of_it(client, agency):
    guide = client.get(reverse("portal:guide", args=[agency.code])).content.decode()
    assert "proactive-scope" not in guide and "channel-wechat" not in guide and "channel-hotline" not in guide


def test_a_clerk_cannot_save_it_from_the_workbench(client, agency):
    client.force_login(make_staff(agency, Role.CLERK))
    response = save(client, agency, proactive_scope=SCOPE_V1)
    assert response.status_code in (403, 404)
    assert not GuideText.objects.exists()
