"""Staff and records for publishing tests, created through the services as users do."""

import itertools
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency, Role, StaffRole
from gongkai.catalogue.services import DocumentFields
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import record_draft, submission_decide, submission_submit

_seq = itertools.count(1)


def make_staff(agency: Agency, *roles: str, username: str | None = None):
    user = get_user_model().objects.create_user(
        username=username or f"staff{next(_seq)}", password="Pw-Example-2026"
    )
    for role in roles:
        StaffRole.objects.create(user=user, agency=agency, role=role)
    return user


@dataclass
class Office:
    """One agency's people for the default chain."""

    agency: Agency
    clerk: object
    unit_head: object
    office_head: object
    leader: object

    def approvers(self):
        return [self.unit_head, self.office_head, self.leader]


def make_office(name: str = "江州市教育局", *, parent=None) -> Office:
    agency = make_agency(name, parent=parent)
    return Office(
        agency=agency,
        clerk=make_staff(agency, Role.CLERK),
        unit_head=make_staff(agency, Role.REVIEWER),
        office_head=make_staff(agency, Role.OFFICE_HEAD),
        leader=make_staff(agency, Role.LEADER),
    )


def draft(
    office: Office,
    title: str = "关于做好2026年秋季学期开学工作的通知",
    body: str = "各学校：现将有关事项通知如下。",
    **kw,
):
    fields = DocumentFields(title=title, body=body, written_on=kw.pop("written_on", date(2026, 9, 1)))
    return record_draft(agency=office.agency, fields=fields, actor=office.clerk, **kw)


def approve_all(office: Office, submission):
    """Submit and approve every step of the default chain."""
    submission = submission_submit(submission=submission, actor=office.clerk, opinion="拟主动公开")
    for approver in office.approvers():
        submission = submission_decide(
            submission=submission, actor=approver, decision=Decision.APPROVE, opinion="同意"
        )
    return submission
