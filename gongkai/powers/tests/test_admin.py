"""The back office: powers added and changed through the services (a change is a new version),
versions and counts read-only, the office's role checked, nothing deleted."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.powers.models import DecisionCount, Power
from gongkai.publishing.tests.factories import make_staff

from .factories import make_power

pytestmark = pytest.mark.django_db

NO_INLINES = {
    f"{prefix}-{key}": value
    for prefix in ("versions", "decision_counts")
    for key, value in (
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "0"),
    )
}


def url(model, view: str, *args) -> str:
    return reverse(f"admin:powers_{model._meta.model_name}_{view}", args=args)


def version_form(**changes) -> dict:
    return {
        "effective_from": "2024-01-01",
        "legal_basis": "《中华人民共和国道路运输条例》第十条",
        "procedure_steps": "申请\n受理\n\n审查\n决定",
        "time_limit": "20个工作日",
        "fees": "不收费",
        **NO_INLINES,
        **changes,
    }


def saved(response) -> None:
    if response.status_code != 302:
        raise AssertionError(f"not saved: {response.context['adminform'].form.errors}")


@pytest.fixture
def agency():
    return make_agency("江州市交通运输局")


def test_adding_a_power_creates_its_first_version_through_the_service(admin_client, admin_user, agency):
    data = {"agency": agency.pk, "code": "XK-001", "type": "licensing", "name": "道路旅客运输经营许可"}
    saved(admin_client.post(url(Power, "add"), {**data, **version_form()}))
    power = Power.objects.get()
    version = power.versions.get()
    assert version.procedure_steps == ["申请", "受理", "审查", "决定"]
    assert version.created_by == admin_user
    assert AuditEvent.objects.filter(action="power_create", actor=admin_user).count() == 1


def test_saving_a_change_makes_a_new_version_and_keeps_the_old(admin_client, agency):
    power = make_power(agency)
    page = admin_client.get(url(Power, "change", power.pk)).content.decode()
    assert "运输管理科" in page  # the form starts from the published version
    saved(
        admin_client.post(
            url(Power, "change", power.pk), version_form(effective_from="2025-01-01", time_limit="15个工作日")
        )
    )
    assert [v.time_limit for v in power.versions.order_by("effective_from")] == ["20个工作日", "15个工作日"]
    assert power.versions.get(effective_from=date(2024, 1, 1)).effective_to == date(2024, 12, 31)


def test_a_change_dated_too_early_or_unchanged_is_shown_on_the_form(admin_client, agency):
    power = make_power(agency, time_limit="20个工作日")
    response = admin_client.post(url(Power, "change", power.pk), version_form(effective_from="2023-01-01"))
    assert "须晚于最近一个版本的施行日期" in str(response.context["adminform"].form.errors)
    assert power.versions.count() == 1


def test_staff_without_the_role_are_refused_on_the_form(client, agency):
    outsider = make_staff(make_agency("江州市水利局"), Role.ADMINISTRATOR)
    outsider.is_staff = True
    outsider.save()
    outsider.user_permissions.add(*Permission.objects.filter(content_type__app_label="powers"))
    client.force_login(outsider)
    data = {"agency": agency.pk, "code": "XK-001", "type": "licensing", "name": "道路旅客运输经营许可"}
    response = client.post(url(Power, "add"), {**data, **version_form()})
    assert response.status_code == 200
    assert "您没有维护该机关权力清单的权限" in response.content.decode()
    assert not Power.objects.exists()


def test_decision_counts_are_set_through_the_service(admin_client, admin_user, agency):
    power = make_power(agency)
    saved(admin_client.post(url(DecisionCount, "add"), {"power": power.pk, "year": "2024", "count": "12"}))
    row = DecisionCount.objects.get()
    saved(admin_client.post(url(DecisionCount, "change", row.pk), {"count": "15"}))
    row.refresh_from_db()
    assert row.count == 15
    assert AuditEvent.objects.filter(action="decision_count_set", actor=admin_user).count() == 2
    response = admin_client.post(url(DecisionCount, "add"), {"power": power.pk, "year": "2999", "count": "1"})
    assert response.status_code == 200 and DecisionCount.objects.count() == 1


def test_pages_open_and_nothing_can_be_deleted(admin_client, agency):
    power = make_power(agency)
    for view, args in (("changelist", ()), ("add", ()), ("change", (power.pk,))):
        assert admin_client.get(url(Power, view, *args)).status_code == 200
    assert admin_client.get(url(Power, "delete", power.pk)).status_code == 403
    page = admin_client.get(url(Power, "change", power.pk)).content.decode()
    assert 'name="versions-0-effective_from"' not in page  # versions are read-only
