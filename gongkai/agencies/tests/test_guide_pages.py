"""The guide's office details on the workbench (/staff/guide/) and the update day on the
public guide page. Who may reach the workbench URLs is walked in workbench/tests/test_access.py."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import DisclosureOffice, Role
from gongkai.agencies.services import OfficeData, office_update
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

from .clock import set_today

pytestmark = pytest.mark.django_db
OFFICE = OfficeData(name="江州市教育局办公室", address="江州市长虹大道88号", phone="0792-8221001")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agency():
    return make_agency("江州市教育局")


@pytest.fixture
def head(agency):
    return make_staff(agency, Role.OFFICE_HEAD)


def guide_page(client, agency):
    response = client.get(reverse("workbench:guide"), {"agency": agency.pk})
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_head_sees_when_the_guide_was_reviewed_and_a_link_to_it(client, agency, head):
    office_update(agency=agency, data=OFFICE, actor=head)
    client.force_login(head)
    html = guide_page(client, agency)
    assert timezone.localdate().strftime("%Y-%m-%d") in html
    assert reverse("portal:guide", args=[agency.code]) in html
    assert 'value="0792-8221001"' in html and "确认指南内容无误" in html
    assert "data-guide-stale" not in html


def test_a_guide_older_than_the_limit_or_never_reviewed_is_flagged(client, agency, head):
    client.force_login(head)
    assert "尚未更新或确认" in guide_page(client, agency)  # no office yet: nothing to confirm
    office_update(agency=agency, data=OFFICE, actor=head)
    DisclosureOffice.objects.filter(agency=agency).update(
        guide_reviewed_on=timezone.localdate() - timedelta(days=400)
    )
    html = guide_page(client, agency)
    assert "data-guide-stale" in html and "公开指南已超过 365 天未更新或确认" in html


def test_an_edit_with_an_error_keeps_what_was_typed_and_changes_nothing(client, agency, head):
    office_update(agency=agency, data=OFFICE, actor=head)
    client.force_login(head)
    data = {"agency": agency.pk, "name": "江州市教育局政务公开科", "address": "江州市新区路1号",
            "email": "不是邮箱", "postcode": "33"}  # fmt: skip
    response = client.post(reverse("workbench:guide"), data)
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert 'value="江州市教育局政务公开科"' in html and 'value="江州市新区路1号"' in html
    assert 'value="不是邮箱"' in html and "邮政编码应为6位数字" in html
    assert DisclosureOffice.objects.get(agency=agency).name == OFFICE.name
    assert AuditEvent.objects.filter(action="office_update").count() == 1


def test_a_saved_edit_updates_the_public_guide_and_records_the_review(client, agency, head, monkeypatch):
    set_today(monkeypatch, date(2026, 3, 2))
    client.force_login(head)
    data = {"agency": agency.pk, "name": "江州市教育局政务公开科", "hours": "工作日 9:00—17:00",
            "website": "jyj.jiangzhou.example.cn"}  # fmt: skip
    response = client.post(reverse("workbench:guide"), data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('workbench:guide')}?agency={agency.pk}"
    office = DisclosureOffice.objects.get(agency=agency)
    assert office.website == "https://jyj.jiangzhou.example.cn" and office.guide_reviewed_on == date(
        2026, 3, 2
    )
    public = client.get(reverse("portal:guide", args=[agency.code])).content.decode()
    assert "江州市教育局政务公开科" in public and "本指南更新日期：2026年3月2日" in public


def test_confirming_the_guide_records_today(client, agency, head, monkeypatch):
    set_today(monkeypatch, date(2026, 3, 2))
    office_update(agency=agency, data=OFFICE, actor=head)
    set_today(monkeypatch, date(2026, 9, 1))
    client.force_login(head)
    response = client.post(reverse("workbench:guide_confirm"), {"agency": agency.pk})
    assert response.status_code == 302
    assert DisclosureOffice.objects.get(agency=agency).guide_reviewed_on == date(2026, 9, 1)
    assert AuditEvent.objects.get(action="guide_confirm").actor == head
    assert "已确认公开指南内容无误" in client.get(response["Location"]).content.decode()


def test_the_administrator_picks_among_the_agencies_below(client):
    city = make_agency("江州市人民政府")
    school = make_agency("江州市教育局", parent=city)
    make_agency("临江市人民政府")
    admin = make_staff(city, Role.ADMINISTRATOR)
    client.force_login(admin)
    html = client.get(reverse("workbench:guide")).content.decode()
    assert f'<option value="{school.pk}"' in html and "临江市人民政府" not in html
    assert "江州市教育局" in guide_page(client, school)


def test_staff_who_keep_no_guide_are_told_whose_task_it_is(client, agency):
    client.force_login(make_staff(agency, Role.CLERK))
    response = client.get(reverse("workbench:guide"))
    assert response.status_code == 200 and "负责人维护" in response.content.decode()
    assert client.get(reverse("workbench:guide"), {"agency": agency.pk}).status_code == 404
    assert client.post(reverse("workbench:guide_confirm"), {"agency": agency.pk}).status_code == 404


def test_the_public_guide_gives_no_update_day_before_any_review(client, agency):
    DisclosureOffice.objects.create(agency=agency, name="江州市教育局办公室")
    html = client.get(reverse("portal:guide", args=[agency.code])).content.decode()
    assert "江州市教育局办公室" in html and "本指南更新日期" not in html
