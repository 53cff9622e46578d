"""Who hears the remedies against an agency's decisions (行政复议法 2023, Art. 24-27): recorded on
the agency through the import, the back office or the workbench guide page, and named on the
public guide."""

import json

import pytest
from django.urls import reverse

from gongkai.agencies.importing import import_agencies
from gongkai.agencies.models import Agency, AgencyLevel, Role
from gongkai.agencies.services import NotPermitted, RemedyData, agency_remedies_update
from gongkai.catalogue.tests.factories import make_agency, make_agency_code
from gongkai.core.jsonl import ImportFailed
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def bare(name: str, level=AgencyLevel.DEPARTMENT, parent=None, **fields) -> Agency:
    """An agency with no remedy facts recorded (the factory records them)."""
    agency = make_agency(name, level=level, parent=parent)
    values = {"reconsideration_body": "", "reconsideration_address": "", "court": "", "court_address": ""}
    Agency.objects.filter(pk=agency.pk).update(**{**values, **fields})
    agency.refresh_from_db()
    return agency


# --- the default rule -------------------------------------------------------------------------


def test_the_suggested_reconsideration_body_follows_the_2023_law():
    province = bare("江西省人民政府", AgencyLevel.PROVINCE)
    city = bare("江州市人民政府", AgencyLevel.CITY, province)
    department = bare("江州市教育局", parent=city)
    unit = bare("江州市档案馆", AgencyLevel.INSTITUTION, department)
    customs = bare("江州海关", parent=city, vertically_led=True)
    street = bare("长宁街道办事处", AgencyLevel.TOWNSHIP, city)
    assert department.reconsideration_body_default() == "江州市人民政府"  # the government at its level
    assert unit.reconsideration_body_default() == "江州市人民政府"
    assert city.reconsideration_body_default() == "江西省人民政府"  # the government above
    assert province.reconsideration_body_default() == "江西省人民政府"  # a province hears its own
    assert street.reconsideration_body_default() == "江州市人民政府"
    customs.parent = bare("南昌海关", parent=province, vertically_led=True)
    assert customs.reconsideration_body_default() == "南昌海关"  # vertically led: the superior agency


# --- the import ---------------------------------------------------------------------------------


def test_the_import_records_the_remedy_keys_and_a_line_without_them_keeps_them():
    code = make_agency_code()
    base = {"code": code, "name": "江州海关", "level": "department"}
    full = {
        **base,
        "vertically_led": True,
        "reconsideration_body": "南昌海关",
        "reconsideration_address": "南昌市红谷滩区海关大楼",
        "court": "南昌铁路运输法院",
        "court_address": "南昌市站前路1号",
    }
    assert import_agencies([json.dumps(full, ensure_ascii=False)]).created == 1
    agency = Agency.objects.get(code=code)
    assert agency.vertically_led and agency.court_address == "南昌市站前路1号"
    assert agency.remedy_missing() == []
    # A later line without the keys (as every older file) changes nothing.
    assert import_agencies([json.dumps(base, ensure_ascii=False)]).unchanged == 1
    assert Agency.objects.get(code=code).reconsideration_body == "南昌海关"


def test_a_bad_remedy_key_is_a_line_error_and_nothing_is_written():
    line = {"code": make_agency_code(), "name": "江州海关", "level": "department", "vertically_led": "yes"}
    with pytest.raises(ImportFailed) as failed:
        import_agencies([json.dumps(line, ensure_ascii=False)])
    assert "vertically_led" in str(failed.value.errors[0])
    assert not Agency.objects.filter(code=line["code"]).exists()


# --- the service and the workbench page ----------------------------------------------------------


def test_the_office_head_records_the_bodies_audited_and_a_clerk_may_not():
    agency = bare("江州市教育局")
    head, clerk = make_staff(agency, Role.OFFICE_HEAD), make_staff(agency, Role.CLERK)
    data = RemedyData(
        reconsideration_body=" 江州市人民政府 ",
        reconsideration_address="江州市浔阳区长虹大道88号",
        court="江州市浔阳区人民法院",
        court_address="江州市浔阳区九华门街50号",
    )
    with pytest.raises(NotPermitted):
        agency_remedies_update(agency=agency, data=data, actor=clerk)
    agency_remedies_update(agency=agency, data=data, actor=head)
    agency.refresh_from_db()
    assert agency.reconsideration_body == "江州市人民政府"
    event = AuditEvent.objects.get(action="agency_remedies_update")
    assert event.before["court"] == "" and event.after["court"] == "江州市浔阳区人民法院"


def test_the_guide_page_says_what_is_missing_and_saves_the_bodies(client):
    city = bare("江州市人民政府", AgencyLevel.CITY)
    agency = bare("江州市教育局", parent=city)
    head = make_staff(agency, Role.OFFICE_HEAD)
    client.force_login(head)
    html = client.get(reverse("workbench:guide"), {"agency": agency.pk}).content.decode()
    assert "data-remedy-missing" in html and "人民法院地址" in html
    assert 'value="江州市人民政府"' in html  # the legal default, suggested
    response = client.post(
        reverse("workbench:guide"),
        {
            "agency": agency.pk,
            "part": "remedies",
            "reconsideration_body": "江州市人民政府",
            "reconsideration_address": "江州市浔阳区长虹大道88号",
            "court": "江州市浔阳区人民法院",
            "court_address": "江州市浔阳区九华门街50号",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.remedy_missing() == []
    assert "data-remedy-missing" not in client.get(response["Location"]).content.decode()
    public = client.get(reverse("portal:guide", args=[agency.code])).content.decode()
    assert "江州市人民政府（地址：江州市浔阳区长虹大道88号）" in public
    assert "江州市浔阳区人民法院（地址：江州市浔阳区九华门街50号）" in public


def test_the_public_guide_says_when_the_bodies_are_not_recorded(client):
    agency = bare("江州市教育局")
    html = client.get(reverse("portal:guide", args=[agency.code])).content.decode()
    assert "本机关尚未登记，请向本机关政府信息公开工作机构咨询。" in html
