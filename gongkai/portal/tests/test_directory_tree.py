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
