"""A case of agency A with a business division, agency B on the platform, and the people who
route, answer and look in from outside."""

from dataclasses import dataclass

import pytest

from gongkai.agencies.models import DisclosureOffice, Role
from gongkai.casework import services
from gongkai.publishing.tests.factories import Office, make_office, make_staff
from gongkai.workbench.tests.applications_world import register


@dataclass
class CaseWorld:
    a: Office
    b: Office
    case: object  # an application of A, received (by post) today
    division: object  # A's 基础教育科, with ``member``
    member: object  # staff of A (reviewer role) and member of the division
    other_member: object  # member of A's other division only
    other_division: object
    outsider: object  # staff of a third agency, every role


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cw(db) -> CaseWorld:
    a = make_office("江州市教育局")
    b = make_office("江州市财政局")
    DisclosureOffice.objects.create(
        agency=b.agency, name="江州市财政局办公室", address="江州市滨江区财政路2号", phone="0576-88881111"
    )
    third = make_office("江州市公安局")
    outsider = make_staff(third.agency, Role.CLERK, Role.REVIEWER, Role.OFFICE_HEAD, Role.LEADER)
    member = make_staff(a.agency, Role.REVIEWER)
    other_member = make_staff(a.agency, Role.REVIEWER)
    division = services.division_save(
        agency=a.agency, name="基础教育科", members=[member], actor=a.office_head
    )
    other_division = services.division_save(
        agency=a.agency, name="财务科", members=[other_member], actor=a.office_head
    )
    return CaseWorld(
        a=a,
        b=b,
        case=register(a),
        division=division,
        member=member,
        other_member=other_member,
        other_division=other_division,
        outsider=outsider,
    )
