import pytest
from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency, AgencyLevel, ReadingPoint, Role, StaffRole
from gongkai.agencies.services import (
    AgencyData,
    AgencyError,
    OfficeData,
    agency_upsert,
    reading_point_upsert,
    staff_role_grant,
)
from gongkai.catalogue.tests.factories import make_agency, make_agency_code
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def user(name="clerk1"):
    return get_user_model().objects.create_user(username=name, password="x-unused-password")


def department(parent: Agency, code: str | None = None) -> AgencyData:
    return AgencyData(
        code=code or make_agency_code(),
        name="江州市财政局",
        level=AgencyLevel.DEPARTMENT,
        parent_code=parent.code,
        office=OfficeData(name="市财政局办公室", email="czj@jiangzhou.example.cn"),
    )


def test_administrator_of_the_parent_may_create_a_department():
    city = make_agency()
    admin = user("city-admin")
    StaffRole.objects.create(user=admin, agency=city, role=Role.ADMINISTRATOR)
    agency, outcome = agency_upsert(data=department(city), actor=admin)
    assert outcome == "created" and agency.parent == city
    assert AuditEvent.objects.get(action="agency_create").actor == admin


def test_a_clerk_may_not_change_the_directory():
    city = make_agency()
    clerk = user()
    StaffRole.objects.create(user=clerk, agency=city, role=Role.CLERK)
    with pytest.raises(AgencyError):
        agency_upsert(data=department(city), actor=clerk)
    assert Agency.objects.count() == 1 and not AuditEvent.objects.exists()


def test_an_invalid_office_email_is_refused_and_nothing_is_kept():
    city = make_agency()
    data = department(city)
    bad = AgencyData(**{**data.__dict__, "office": OfficeData(name="办公室", email="nonsense")})
    with pytest.raises(AgencyError):
        agency_upsert(data=bad)
    assert not Agency.objects.filter(code=data.code).exists()


def test_an_agency_cannot_move_below_itself():
    city = make_agency()
    dept, _ = agency_upsert(data=department(city))
    with pytest.raises(AgencyError):
        agency_upsert(
            data=AgencyData(code=city.code, name=city.name, level=city.level, parent_code=dept.code)
        )


def test_reading_point_is_created_once_and_gains_agencies():
    city, other = make_agency(), make_agency("江州市教育局")
    point, created = reading_point_upsert(
        name="江州市图书馆", kind=ReadingPoint.Kind.LIBRARY, agencies=[city]
    )
    assert created
    again, created = reading_point_upsert(
        name="江州市图书馆", kind=ReadingPoint.Kind.LIBRARY, agencies=[city]
    )
    assert not created and again == point
    assert AuditEvent.objects.filter(action__startswith="reading_point").count() == 1
    reading_point_upsert(name="江州市图书馆", kind=ReadingPoint.Kind.LIBRARY, agencies=[other])
    assert set(point.agencies.all()) == {city, other}
    assert ReadingPoint.objects.count() == 1


def test_granting_a_role_twice_grants_it_once():
    city, clerk = make_agency(), user()
    _, created = staff_role_grant(user=clerk, agency=city, role=Role.CLERK)
    _, again = staff_role_grant(user=clerk, agency=city, role=Role.CLERK)
    assert created and not again
    assert StaffRole.objects.count() == 1
    assert AuditEvent.objects.filter(action="staff_role_grant").count() == 1
