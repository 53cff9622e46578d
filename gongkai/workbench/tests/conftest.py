import re
from dataclasses import dataclass

import pytest

from gongkai.agencies.models import Role
from gongkai.catalogue.attachments import attachment_add
from gongkai.catalogue.tests.samples import make_pdf
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import submission_decide, submission_submit
from gongkai.publishing.tests.factories import Office, approve_all, draft, make_office, make_staff

MOBILE = "13812345678"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """Two agencies' offices and records of agency A in each state the staff URLs need."""

    a: Office
    b: Office
    outsider: object  # every role on agency B, none on A
    drafted: object  # draft with one attachment
    attachment: object
    in_review: object  # waiting on A's unit head
    at_office: object  # waiting on A's office head, with an unsettled finding
    finding: object
    published: object  # a document of A in the public catalogue


@pytest.fixture
def world(db) -> World:
    a = make_office("江州市教育局")
    b = make_office("江州市财政局")
    outsider = make_staff(b.agency, Role.CLERK, Role.REVIEWER, Role.OFFICE_HEAD, Role.LEADER, Role.SUPERVISOR)
    drafted = draft(a, title="草稿：关于开展校园安全检查的通知")
    attachment = attachment_add(
        document=drafted.document, data=make_pdf("Checklist"), filename="检查表.pdf", actor=a.clerk
    )
    in_review = submission_submit(submission=draft(a, title="审查中：关于招生工作的通知"), actor=a.clerk)
    at_office = submission_submit(
        submission=draft(a, title="公开办审查：关于来信办理情况的说明", body=f"联系电话{MOBILE}。"),
        actor=a.clerk,
    )
    at_office = submission_decide(submission=at_office, actor=a.unit_head, decision=Decision.APPROVE)
    published = approve_all(a, draft(a, title="已公开：关于秋季学期校历的通知")).document
    published.refresh_from_db()
    return World(
        a=a,
        b=b,
        outsider=outsider,
        drafted=drafted,
        attachment=attachment,
        in_review=in_review,
        at_office=at_office,
        finding=at_office.findings.get(),
        published=published,
    )


def form_value(response, name: str) -> str:
    """The value of the input ``name`` on the page (what the browser would send back)."""
    html = response.content.decode()
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', html
    )
    assert match, f"no input {name} on the page"
    return match.group(1)
