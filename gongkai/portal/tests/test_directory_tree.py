"""The directory's tree written in Python is the markup the agency_node include renders
(issue 13, §4: the include took about 1.5 ms per agency, seconds for a province)."""

import re

import pytest
from django.template.loader import render_to_string

from gongkai.agencies.models import AgencyLevel
from gongkai.portal.directory import agency_tree_html
from gongkai.portal.selectors import agency_tree

from . import builders

pytestmark = pytest.mark.django_db


def squeeze(html: str) -> str:
    """Markup with runs of white space as one space and none between tags."""
    return re.sub(r"> <", "><", re.sub(r"\s+", " ", str(html))).strip()


def test_the_tree_is_the_markup_of_the_include(client):
    city = builders.agency("江川市人民政府 <&>")
    builders.agency("江川市教育局", level=AgencyLevel.DEPARTMENT, parent=city, office=None)
    district = builders.agency("江川市东湖区人民政府", level=AgencyLevel.COUNTY, parent=city)
    builders.agency("东湖区城关街道办事处", level=AgencyLevel.TOWNSHIP, parent=district)
    roots = agency_tree()
    by_template = "".join(render_to_string("portal/includes/agency_node.html", {"node": n}) for n in roots)
    assert squeeze(agency_tree_html(roots)) == squeeze(by_template)
    page = client.get("/agencies/").content.decode()
    assert squeeze(by_template) in squeeze(page) and "江川市人民政府 &lt;&amp;&gt;" in page


def test_an_empty_directory_says_so(client):
    assert "暂无机构信息" in client.get("/agencies/").content.decode()


def test_the_cached_tree_shows_an_agency_change_at_once(client, settings):
    """The directory keeps its tree between requests (issue 13, §4) but never a stale one."""
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0  # the whole-page cache off: the tree's own cache here
    city = builders.agency("江川市人民政府")
    assert "江川市人民政府" in client.get("/agencies/").content.decode()
    # Changed without a service (no audit event): the model signals alone must show it.
    city.name = "江川市人民政府（新）"
    city.save()
    assert "江川市人民政府（新）" in client.get("/agencies/").content.decode()
    builders.agency("江川市教育局", level=AgencyLevel.DEPARTMENT, parent=city)
    page = client.get("/agencies/").content.decode()
    assert "江川市教育局" in page
    office = city.office
    office.phone = "0871-12345678"
    office.save()
    assert "0871-12345678" in client.get("/agencies/").content.decode()


def test_the_tree_is_not_written_again_while_nothing_changes(client, settings):
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0
    city = builders.agency("江川市人民政府")
    for i in range(5):
        builders.agency(f"江川市第{i}局", level=AgencyLevel.DEPARTMENT, parent=city)
    first = client.get("/agencies/").content.decode()
    from gongkai.portal import directory

    calls = []
    real = directory.agency_tree_html
    directory.agency_tree_html = lambda roots: calls.append(1) or real(roots)
    try:
        second = client.get("/agencies/").content.decode()
    finally:
        directory.agency_tree_html = real
    assert calls == [] and "江川市第4局" in first and "江川市第4局" in second
