"""The demo's casework (issue 18 item 4): a division with one 交办 task open and one answered and
accepted, and an internal note, all through the audited services; a second load adds nothing."""

import pytest

from gongkai.agencies.models import Role
from gongkai.applications.demo import applications_demo_load
from gongkai.casework.demo import casework_demo_load
from gongkai.casework.models import Note, Task
from gongkai.casework.rules import TaskKind, TaskState
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_demo_routes_two_cases_to_a_division_and_notes_one():
    agency = make_agency("江州市教育局")
    clerk, head = make_staff(agency, Role.CLERK), make_staff(agency, Role.OFFICE_HEAD)
    member = make_staff(agency, Role.REVIEWER)
    applications_demo_load(education=agency, clerk_username=clerk.username, head_username=head.username)
    names = {"clerk_username": clerk.username, "head_username": head.username}
    assert casework_demo_load(education=agency, member_username=member.username, **names) == 2

    tasks = {t.state: t for t in Task.objects.filter(application__agency=agency)}
    assert set(tasks) == {TaskState.OPEN, TaskState.ACCEPTED}
    assert all(t.kind == TaskKind.DIVISION and t.division.name == "基础教育科" for t in tasks.values())
    assert list(tasks[TaskState.OPEN].division.members.all()) == [member]
    done = tasks[TaskState.ACCEPTED]
    assert (done.answered_by, done.reviewed_by) == (member, clerk) and done.answer
    note = Note.objects.get(application=done.application)
    assert note.author == clerk
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"casework_division_save", "casework_task_create", "casework_task_answer"} <= actions
    assert {"casework_task_accept", "casework_note_add"} <= actions

    assert casework_demo_load(education=agency, member_username=member.username, **names) == 0
    assert Task.objects.count() == 2 and Note.objects.count() == 1
