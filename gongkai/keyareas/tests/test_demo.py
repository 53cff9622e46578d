"""The demo (gongkai demo): a procurement project with exactly one late disclosure, loaded
through the services, and nothing duplicated when loaded again."""

import itertools

import pytest
from django.utils import timezone

from gongkai.core.tests.helpers import ensure_taxonomy
from gongkai.keyareas import selectors
from gongkai.keyareas.demo import PROCUREMENT_NUMBER
from gongkai.keyareas.models import Obligation, Project
from gongkai.keyareas.rules import Status
from gongkai.operations import demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_procurement_project_with_one_late_disclosure():
    ensure_taxonomy()
    passwords = (f"Demo-Pass-{n}-x9Q" for n in itertools.count())
    demo.load_demo(password_for=lambda _username: next(passwords))
    project = selectors.project_public(Project.objects.get(number=PROCUREMENT_NUMBER).pk)
    statuses = {r.item.code: r.status for r in selectors.project_view(project, timezone.localdate()).rows}
    assert statuses == {
        "intention": Status.IN_TIME,
        "announcement": Status.IN_TIME,
        "documents": Status.IN_TIME,
        "result": Status.LATE,
        "contract": Status.OPEN,
    }
    assert project.budget_amount == 1_280_000
    before = (Project.objects.count(), Obligation.objects.exclude(document=None).count())
    summary = demo.load_demo(password_for=lambda _username: next(passwords))
    assert summary.supervision.keyarea_projects == 0
    assert (Project.objects.count(), Obligation.objects.exclude(document=None).count()) == before == (2, 6)
