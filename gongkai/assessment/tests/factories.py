"""Agencies, staff, schemes and recorded facts for assessment tests."""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongkai.agencies.models import AgencyLevel, Role
from gongkai.applications.models import Application
from gongkai.applications.rules import ApplicantType, ApplicationState, Channel, Delivery, InfoForm, Outcome
from gongkai.assessment.models import Indicator, Scheme
from gongkai.assessment.scoring import IndicatorKey
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

_seq = itertools.count(1)


@dataclass
class Area:
    """A county government (the competent authority) with two departments, and their people."""

    authority: object
    education: object
    finance: object
    supervisor: object  # supervisor of the authority
    clerk: object  # clerk of the education bureau
    other_supervisor: object  # supervisor of another county


def make_area() -> Area:
    authority = make_agency("江州县人民政府", level=AgencyLevel.COUNTY)
    education = make_agency("江州县教育局", parent=authority, level=AgencyLevel.DEPARTMENT)
    finance = make_agency("江州县财政局", parent=authority, level=AgencyLevel.DEPARTMENT)
    other = make_agency("临江县人民政府", level=AgencyLevel.COUNTY)
    make_agency("临江县教育局", parent=other, level=AgencyLevel.DEPARTMENT)
    return Area(
        authority=authority,
        education=education,
        finance=finance,
        supervisor=make_staff(authority, Role.SUPERVISOR),
        clerk=make_staff(education, Role.CLERK),
        other_supervisor=make_staff(other, Role.SUPERVISOR),
    )


def make_scheme(year: int = 2026, **weights) -> Scheme:
    """A scheme with the given {key: weight} (default: reply timeliness 60, overdue 40)."""
    scheme = Scheme.objects.create(name="政务公开工作考核", year=year)
    for order, (key, weight) in enumerate((weights or {"reply_on_time": 60, "overdue": 40}).items()):
        Indicator.objects.create(
            scheme=scheme, key=key, label=IndicatorKey(key).label, weight=Decimal(weight), sort_order=order
        )
    return scheme


def recorded_application(agency, *, due: date, decided: date | None = None, state=None) -> Application:
    """An application as the register holds it, with its due and decision dates."""
    closed = decided is not None
    return Application.objects.create(
        agency=agency, tracking_no=f"T{next(_seq):08d}", query_code_hash="-", channel=Channel.POST,
        applicant_type=ApplicantType.NATURAL_PERSON, name="张三", description="某项信息",
        form=InfoForm.PAPER, delivery=Delivery.POST, received_on=date(2026, 1, 5), reply_due_on=due,
        decided_on=decided, closed_on=decided,
        state=state or (ApplicationState.CLOSED if closed else ApplicationState.RECEIVED),
        outcome=Outcome.DISCLOSED if closed else "",
    )  # fmt: skip
