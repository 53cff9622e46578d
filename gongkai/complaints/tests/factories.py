"""Agencies, staff and complaints for the complaint tests, made through the services."""

from dataclasses import dataclass

from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

from .. import services
from ..rules import Kind

NAME = "张三"
MOBILE = "13812345678"


@dataclass
class Tree:
    """A city government, its education bureau, and the city's disclosure office (the
    competent authority of the bureau), each with its people."""

    city: Agency
    bureau: Agency
    office: Agency  # 市政府办公室: competent authority for disclosure
    office_clerk: object
    office_head: object
    city_clerk: object
    bureau_clerk: object
    province_supervisor: object  # supervisor of the province above the city: reads only


def make_tree() -> Tree:
    province = make_agency("江南省人民政府", level="province")
    city = make_agency("江州市人民政府", parent=province)
    office = make_agency("江州市人民政府办公室", parent=city, level="department")
    bureau = make_agency("江州市教育局", parent=city, level="department")
    bureau.competent_authority = office
    bureau.save()
    return Tree(
        city=city,
        bureau=bureau,
        office=office,
        office_clerk=make_staff(office, Role.CLERK),
        office_head=make_staff(office, Role.OFFICE_HEAD),
        city_clerk=make_staff(city, Role.CLERK),
        bureau_clerk=make_staff(bureau, Role.CLERK),
        province_supervisor=make_staff(province, Role.SUPERVISOR),
    )


def complaint_data(agency: Agency, **overrides) -> dict:
    values = {
        "kind": Kind.COMPLAINT,
        "agency": agency,
        "name": NAME,
        "contact": MOBILE,
        "content": "江州市教育局未按规定主动公开2026年招生计划，网站上查不到。",
    }
    values.update(overrides)
    return values


def submit(agency: Agency, **overrides) -> services.Submitted:
    return services.complaint_submit(data=complaint_data(agency, **overrides))
