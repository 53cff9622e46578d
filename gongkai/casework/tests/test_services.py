"""Routing a case (交办/协办), its state machine and who may act, internal notes, the
assistance letter and the Art. 36(5) referral filled from the directory."""

import zipfile
from datetime import timedelta
from io import BytesIO

import pymupdf
import pytest
from django.utils import timezone

from gongkai.casework import selectors, services
from gongkai.casework.letters import assistance_letter_pdf
from gongkai.casework.rules import TaskKind, TaskState
from gongkai.catalogue.tests.samples import make_pdf
from gongkai.core.audit import AuditEvent
from gongkai.core.calendar_store import workday_add
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.agenda import agenda_counts, agenda_for
from gongkai.workbench.forms_applications import DecideForm, TransferForm
from gongkai.workbench.views.application_export import application_package

pytestmark = pytest.mark.django_db


def _to_division(cw, **kw):
    return services.task_create(
        application=cw.case, kind=TaskKind.DIVISION, division=cw.division, part="检索2025年招生计划文件",
        actor=cw.a.clerk, **kw,
    )  # fmt: skip


def _actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_task_runs_through_its_states_and_each_step_is_audited(cw):
    task = _to_division(cw, days=3)
    assert task.state == TaskState.OPEN
    assert task.due_on == workday_add(timezone.localdate(), 3).date  # working days, core's calendar
    task = services.task_answer(task=task, answer="已检索到招生计划一份。", actor=cw.member)
    assert task.state == TaskState.ANSWERED and task.answered_by == cw.member
    with pytest.raises(services.CaseworkError):  # a return says what is missing
        services.task_review(task=task, accept=False, note="", actor=cw.a.clerk)
    task = services.task_review(task=task, accept=False, note="请补充附件。", days=2, actor=cw.a.clerk)
    assert task.state == TaskState.RETURNED
    assert task.due_on == workday_add(timezone.localdate(), 2).date
    task = services.task_answer(task=task, answer="补充：附招生计划。", actor=cw.member)
    task = services.task_review(task=task, accept=True, actor=cw.a.clerk)
    assert task.state == TaskState.ACCEPTED
    with pytest.raises(services.CaseworkError, match="当前状态"):  # accepted is final
        services.task_withdraw(task=task, reason="不再需要", actor=cw.a.clerk)
    assert _actions(task) == [
        "casework_task_create", "casework_task_answer", "casework_task_return",
        "casework_task_answer", "casework_task_accept",
    ]  # fmt: skip


def test_only_the_division_members_answer_and_only_the_handlers_review(cw):
    task = _to_division(cw)
    for user in (cw.other_member, cw.a.clerk, cw.outsider, cw.b.clerk):
        with pytest.raises(services.NotPermitted):
            services.task_answer(task=task, answer="答复", actor=user)
    with pytest.raises(services.NotPermitted):
        services.task_withdraw(task=task, reason="x", actor=cw.member)  # members answer, not route
    with pytest.raises(services.NotPermitted):
        services.task_create(
            application=cw.case, kind=TaskKind.DIVISION, division=cw.division, part="x", actor=cw.member
        )
    task = services.task_answer(task=task, answer="答复", actor=cw.member)
    with pytest.raises(services.NotPermitted):
        services.task_review(task=task, accept=True, actor=cw.member)


def test_a_division_member_sees_only_its_divisions_tasks(cw):
    mine = _to_division(cw)
    theirs = services.task_create(
        application=cw.case, kind=TaskKind.DIVISION, division=cw.other_division, part="经费", actor=cw.a.clerk
    )
    assert list(selectors.answering_tasks(cw.member)) == [mine]
    assert list(selectors.answering_tasks(cw.other_member)) == [theirs]
    assert not selectors.tasks_for(cw.outsider).exists()


def test_the_division_must_be_the_cases_agencys_and_the_agency_another(cw):
    foreign = services.division_save(agency=cw.b.agency, name="预算科", members=[], actor=cw.b.office_head)
    with pytest.raises(services.CaseworkError):
        services.task_create(
            application=cw.case, kind=TaskKind.DIVISION, division=foreign, part="x", actor=cw.a.clerk
        )
    with pytest.raises(services.CaseworkError):
        services.task_create(
            application=cw.case, kind=TaskKind.AGENCY, target_agency=cw.a.agency, part="x", actor=cw.a.clerk
        )


def test_divisions_are_kept_by_the_office_head_and_hold_staff_only(cw):
    with pytest.raises(services.NotPermitted):
        services.division_save(agency=cw.a.agency, name="新科室", members=[], actor=cw.a.clerk)
    nobody = make_staff(cw.a.agency)  # a user without a staff role
    with pytest.raises(services.CaseworkError, match="不是工作人员"):
        services.division_save(agency=cw.a.agency, name="新科室", members=[nobody], actor=cw.a.office_head)
    with pytest.raises(services.CaseworkError, match="已有"):
        services.division_save(agency=cw.a.agency, name="财务科", members=[], actor=cw.a.office_head)


def test_assistance_goes_to_the_other_agencys_staff_with_a_numbered_letter(cw):
    first = services.task_create(
        application=cw.case, kind=TaskKind.AGENCY, target_agency=cw.b.agency, part="提供教育经费拨付文件",
        instructions="请附拨付文件的文号。", actor=cw.a.clerk,
    )  # fmt: skip
    second = services.task_create(
        application=cw.case,
        kind=TaskKind.AGENCY,
        target_agency=cw.b.agency,
        part="另一事项",
        actor=cw.a.clerk,
    )
    year = timezone.localdate().year
    assert first.letter_no.endswith(f"协〔{year}〕1号") and second.letter_no.endswith(f"协〔{year}〕2号")
    with pytest.raises(services.NotPermitted):
        services.task_answer(task=first, answer="x", actor=cw.b.leader)  # the office answers, not the leader
    answered = services.task_answer(task=first, answer="拨付文件见附件。", actor=cw.b.clerk)
    assert answered.state == TaskState.ANSWERED
    with pymupdf.open(stream=assistance_letter_pdf(first), filetype="pdf") as doc:
        text = "".join(page.get_text() for page in doc)
    assert "协办函" in text and first.letter_no in "".join(text.split()) and "江州市财政局" in text
    assert cw.case.tracking_no in text and "提供教育经费拨付文件" in text
    assert cw.case.name not in text  # the applicant is not named to the other agency


def test_an_answer_takes_files_through_the_upload_checks(cw):
    task = _to_division(cw)
    with pytest.raises(services.CaseworkError, match="扩展名"):
        services.task_answer(
            task=task, answer="见附件", files=[(b"MZ\x90\x00not a pdf", "计划.pdf")], actor=cw.member
        )
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and not task.files.exists()
    task = services.task_answer(
        task=task, answer="见附件", files=[(make_pdf("Plan"), "招生计划.pdf")], actor=cw.member
    )
    [row] = task.files.all()
    assert (
        row.title == "招生计划.pdf" and row.content_type == "application/pdf" and row.file.read(4) == b"%PDF"
    )


def test_a_late_task_is_overdue_on_the_agenda_of_the_member_and_the_handler(cw):
    task = _to_division(cw)
    today = timezone.localdate()
    later = task.due_on + timedelta(days=1)
    for user in (cw.member, cw.a.clerk):
        [item] = [i for i in agenda_for(user, later) if i.kind == "casework_task"]
        assert item.overdue and item.on == task.due_on and item.url.endswith(f"/casework/{task.pk}/")
        assert not [i for i in agenda_for(user, today) if i.kind == "casework_task"][0].overdue
    assert [i.kind for i in agenda_for(cw.member, later, mine=True)] == ["casework_task"]
    assert agenda_counts(cw.member, later).overdue == 1
    assert not [i for i in agenda_for(cw.other_member, later) if i.kind == "casework_task"]
    services.task_answer(task=task, answer="已答复", actor=cw.member)
    assert not [i for i in agenda_for(cw.member, later) if i.kind == "casework_task"]  # nothing owed


def test_notes_are_for_the_agencys_staff_and_stay_out_of_the_case_export(cw):
    note = services.note_add(
        application=cw.case, text="申请人来电称另有同类申请，注意合并。", actor=cw.a.clerk
    )
    assert _actions(note) == ["casework_note_add"]
    assert services.can_read_notes(cw.a.leader, cw.case)
    assert not services.can_read_notes(cw.outsider, cw.case) and not services.can_read_notes(
        cw.b.clerk, cw.case
    )
    with pytest.raises(services.NotPermitted):
        services.note_add(application=cw.case, text="x", actor=cw.outsider)
    package = application_package(cw.case, full=True)
    with zipfile.ZipFile(BytesIO(package)) as zf:
        everything = b"".join(zf.read(name) for name in zf.namelist())
    assert "另有同类申请".encode() not in everything


def test_a_referral_fills_the_other_agency_from_the_directory_and_stays_editable(cw):
    form = TransferForm(
        {"transfer-other_agency_pick": cw.b.agency.pk, "transfer-other_agency": "", "transfer-reasons": "不掌握",
         "transfer-version": 0}
    )  # fmt: skip
    assert form.is_valid(), form.errors
    filled = form.cleaned_data["other_agency"]
    assert filled == "江州市财政局（江州市财政局办公室，地址：江州市滨江区财政路2号，电话：0576-88881111）"
    typed = TransferForm(
        {"transfer-other_agency_pick": cw.b.agency.pk, "transfer-other_agency": "江州市财政局，电话12345",
         "transfer-reasons": "不掌握", "transfer-version": 0}
    )  # fmt: skip
    assert typed.is_valid() and typed.cleaned_data["other_agency"] == "江州市财政局，电话12345"
    neither = TransferForm({"transfer-other_agency": "", "transfer-reasons": "不掌握", "transfer-version": 0})
    assert not neither.is_valid() and "other_agency" in neither.errors
    decide = DecideForm(
        {
            "decide-outcome": "unavailable_not_held",
            "decide-other_agency_pick": cw.b.agency.pk,
            "decide-version": 0,
        }
    )
    assert decide.is_valid(), decide.errors
    assert decide.cleaned_data["other_agency"].startswith("江州市财政局（")
    assert 'data-contact="江州市财政局（' in str(TransferForm()["other_agency_pick"])
