"""The disclosure guide (Art. 12) is generated from the agency's data on every request."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from gongkai.agencies.services import AgencyData, OfficeData, agency_upsert

from . import builders

pytestmark = pytest.mark.django_db


def guide_html(client, agency) -> str:
    response = client.get(reverse("portal:guide", args=[agency.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_guide_states_the_office_contacts(client):
    city = builders.agency()
    html = guide_html(client, city)
    office = builders.OFFICE
    for value in (
        office.name,
        office.address,
        office.hours,
        office.phone,
        office.fax,
        office.email,
        office.postcode,
    ):
        assert value in html, value


def test_guide_states_how_to_apply_time_limits_fees_and_remedies(client):
    html = guide_html(client, builders.agency())
    assert "自收到申请之日起 20 个工作日内予以答复" in html
    assert "延长的期限最长不超过 20 个工作日" in html
    assert "7 个工作日内一次性告知申请人作出补正" in html
    assert "按件计收" in html and "按量计收" in html and "每件 100 元" in html and "每页 40 元" in html
    assert "60 日内提出行政复议申请" in html
    assert "6 个月内提出" in html
    assert "无需说明申请用途" in html


def test_guide_lists_the_subjects_and_genres_actually_used(client):
    city = builders.agency()
    housing = builders.subject("住房保障", parent=builders.subject("城乡建设、环境保护"))
    builders.subject("国防")  # exists, but no document uses it
    builders.document(city, "关于住房的通知", subject_id=housing.pk, genre_id=builders.genre("通知").pk)
    builders.document(city, "关于住房的意见", subject_id=housing.pk, genre_id=builders.genre("意见").pk)
    html = guide_html(client, city)
    assert "城乡建设、环境保护（2）：住房保障（2）" in html
    assert "通知（1）" in html and "意见（1）" in html
    assert "国防" not in html
    assert "已主动公开政府信息 2 条" in html


def test_guide_shows_an_edit_of_the_office_at_once(client):
    city = builders.agency()
    assert "0791-1234567" in guide_html(client, city)
    moved = OfficeData(
        **{**builders.OFFICE.__dict__, "phone": "0791-7654321", "address": "江川市新区政务大道8号"}
    )
    agency_upsert(data=AgencyData(code=city.code, name=city.name, level=city.level, office=moved))
    html = guide_html(client, city)
    assert "0791-7654321" in html and "江川市新区政务大道8号" in html
    assert "0791-1234567" not in html and "江川市人民路1号" not in html


def test_guide_lists_reading_points(client):
    city = builders.agency()
    builders.reading_point(
        city, "江川市档案馆", kind="archive", address="江川市文化路9号", hours="周二至周六"
    )
    html = guide_html(client, city)
    assert "江川市档案馆" in html and "国家档案馆" in html and "江川市文化路9号" in html


def test_guide_names_the_upper_agency_for_complaints(client):
    city = builders.agency()
    department = builders.agency("江川市教育局", parent=city, level="department")
    html = guide_html(client, department)
    assert "上一级行政机关" in html and reverse("portal:agency", args=[city.code]) in html


def test_guide_without_an_office_says_so(client):
    html = guide_html(client, builders.agency("东湖区城关街道办事处", level="township", office=None))
    assert "尚未登记政府信息公开工作机构" in html


def test_guide_is_printable(client):
    html = guide_html(client, builders.agency())
    assert "data-print" in html and "打印" in html
    with open(finders.find("gongkai/portal.css"), encoding="utf-8") as fh:
        assert "@media print" in fh.read()
