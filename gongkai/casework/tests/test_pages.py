"""The routing pages: every casework URL walked as anonymous, as staff out of scope and as the
right user; and the round trip through the browser's requests: the clerk hands the case to a
division from the case page, the member finds it on the agenda, answers with a file, the answer
shows on the case page and the clerk accepts it; notes on the case page for staff only."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.casework import services
from gongkai.casework.models import Task
from gongkai.casework.rules import TaskKind, TaskState
from gongkai.catalogue.tests.samples import make_pdf
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _task(w):
    if not hasattr(w, "task"):
        w.task = services.task_create(
            application=w.case,
            kind=TaskKind.DIVISION,
            division=w.division,
            part="检索招生计划",
            actor=w.a.clerk,
        )
    return w.task


def _answered(w):
    if not hasattr(w, "answered"):
        task = services.task_create(
            application=w.case,
            kind=TaskKind.AGENCY,
            target_agency=w.b.agency,
            part="经费文件",
            actor=w.a.clerk,
        )
        w.answered = services.task_answer(
            task=task, answer="见附件", files=[(make_pdf("Funds"), "经费.pdf")], actor=w.b.clerk
        )
    return w.answered


@dataclass
class CUrl:
    name: str
    kwargs: Callable = lambda w: {"pk": _task(w).pk}
    method: str = "get"
    data: Callable = lambda w: {}
    user: Callable = lambda w: w.member
    ok: int = 200
    outsider_status: int = 404
    hidden: Callable = field(default=lambda w: [])


CASEWORK_URLS = [
    CUrl("casework_tasks", kwargs=lambda w: {}, outsider_status=200, hidden=lambda w: [w.case.tracking_no]),
    CUrl("casework_divisions", kwargs=lambda w: {}, user=lambda w: w.a.office_head, outsider_status=200,
         hidden=lambda w: ["基础教育科"]),
    CUrl("casework_divisions", kwargs=lambda w: {}, method="post", ok=302, user=lambda w: w.a.office_head,
         outsider_status=400, hidden=lambda w: ["基础教育科"],  # A is no choice of the outsider's
         data=lambda w: {"agency": w.a.agency.pk, "name": "办公室", "members": [w.member.pk]}),
    CUrl("casework_task"),
    CUrl("casework_task_answer", method="post", ok=302,
         data=lambda w: {"answer-answer": "已检索", "answer-version": _task(w).version}),
    CUrl("casework_task_review", kwargs=lambda w: {"pk": _answered(w).pk}, method="post", ok=302,
         user=lambda w: w.a.clerk, data=lambda w: {"review-decision": "accept", "review-version": _answered(w).version}),
    CUrl("casework_task_withdraw", method="post", ok=302, user=lambda w: w.a.clerk,
         data=lambda w: {"withdraw-reason": "申请人已撤回申请", "withdraw-version": _task(w).version}),
    CUrl("casework_task_file", kwargs=lambda w: {"pk": _answered(w).pk, "file_pk": _answered(w).files.get().pk},
         user=lambda w: w.b.clerk),
    CUrl("casework_task_letter", kwargs=lambda w: {"pk": _answered(w).pk}, user=lambda w: w.b.clerk),
    CUrl("casework_task_create", kwargs=lambda w: {"pk": w.case.pk}, method="post", ok=302, user=lambda w: w.a.clerk,
         data=lambda w: {"task-kind": "division", "task-division": w.division.pk, "task-part": "检索", "task-days": 5}),
    CUrl("casework_note_add", kwargs=lambda w: {"pk": w.case.pk}, method="post", ok=302, user=lambda w: w.a.clerk,
         data=lambda w: {"note-text": "内部备注"}),
]  # fmt: skip


def _call(client, u: CUrl, w):
    return getattr(client, u.method)(reverse(f"workbench:{u.name}", kwargs=u.kwargs(w)), u.data(w))


@pytest.mark.parametrize("u", CASEWORK_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_casework_url_refuses_anonymous_and_out_of_scope_and_serves_the_right_user(client, cw, u):
    response = _call(client, u, cw)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    client.force_login(make_staff(cw.a.agency))  # no staff role at all
    assert _call(client, u, cw).status_code == 404
    client.force_login(cw.outsider)
    response = _call(client, u, cw)
    assert response.status_code == u.outsider_status
    for text in u.hidden(cw):
        assert text not in response.content.decode()
    client.force_login(u.user(cw))
    response = _call(client, u, cw)
    assert response.status_code == u.ok, response.content.decode()[:2000]


def test_a_member_of_another_division_cannot_open_the_task(client, cw):
    client.force_login(cw.other_member)
    assert client.get(reverse("workbench:casework_task", args=[_task(cw).pk])).status_code == 404


def test_routed_to_a_division_answered_and_accepted_through_the_pages(client, cw):
    case_url = reverse("workbench:application_detail", args=[cw.case.pk])
    client.force_login(cw.a.clerk)
    page = client.get(case_url).content.decode()
    assert 'id="casework"' in page and "基础教育科" in page
    response = client.post(
        reverse("workbench:casework_task_create", args=[cw.case.pk]),
        {"task-kind": "division", "task-division": cw.division.pk, "task-part": "检索2025年招生计划",
         "task-instructions": "请附文件", "task-days": 3},
    )  # fmt: skip
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "workbench:casework_task", args=[task.pk]
    )
    refused = client.post(
        reverse("workbench:casework_task_create", args=[cw.case.pk]),
        {"task-kind": "division", "task-part": "未选科室", "task-days": 3},
    )
    assert refused.status_code == 400 and "交办时请选择科室" in refused.content.decode()

    client.force_login(cw.member)
    agenda = client.get(reverse("workbench:agenda"), {"mine": "on"}).content.decode()
    assert reverse("workbench:casework_task", args=[task.pk]) in agenda
    task_page = client.get(reverse("workbench:casework_task", args=[task.pk])).content.decode()
    assert "检索2025年招生计划" in task_page and cw.case.description in task_page
    assert "张*" in task_page and "13812345678" not in task_page  # the applicant masked
    response = client.post(
        reverse("workbench:casework_task_answer", args=[task.pk]),
        {"answer-answer": "已检索到招生计划，见附件。", "answer-version": task.version,
         "answer-files": [SimpleUploadedFile("招生计划.pdf", make_pdf("Plan"), content_type="application/pdf")]},
    )  # fmt: skip
    assert response.status_code == 302

    client.force_login(cw.a.clerk)
    page = client.get(case_url).content.decode()
    assert "已检索到招生计划，见附件。" in page and "招生计划.pdf" in page and "已答复待审核" in page
    task.refresh_from_db()
    response = client.post(
        reverse("workbench:casework_task_review", args=[task.pk]),
        {"review-decision": "accept", "review-version": task.version},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.ACCEPTED
    stale = client.post(  # the form of before: someone acted first
        reverse("workbench:casework_task_review", args=[task.pk]),
        {"review-decision": "return", "review-note": "补充", "review-version": task.version - 1},
    )
    assert stale.status_code == 409


def test_notes_show_on_the_case_page_for_the_agencys_staff_only(client, cw):
    client.force_login(cw.a.clerk)
    response = client.post(
        reverse("workbench:casework_note_add", args=[cw.case.pk]), {"note-text": "申请人来电，要求纸质答复。"}
    )
    assert response.status_code == 302
    case_url = reverse("workbench:application_detail", args=[cw.case.pk])
    assert "申请人来电，要求纸质答复。" in client.get(case_url).content.decode()
    client.force_login(cw.a.leader)
    assert "申请人来电，要求纸质答复。" in client.get(case_url).content.decode()
    client.force_login(cw.outsider)
    assert client.get(case_url).status_code == 404


def test_the_office_head_keeps_the_divisions_and_a_clerk_cannot(client, cw):
    url = reverse("workbench:casework_divisions")
    client.force_login(cw.a.office_head)
    response = client.post(url, {"division": cw.division.pk, "agency": cw.a.agency.pk, "name": "基础教育科",
                                 "members": [cw.member.pk, cw.other_member.pk]})  # fmt: skip
    assert response.status_code == 302
    assert set(cw.division.members.all()) == {cw.member, cw.other_member}
    clash = client.post(url, {"agency": cw.a.agency.pk, "name": "财务科"})
    assert clash.status_code == 400 and "已有名为" in clash.content.decode()
    client.force_login(cw.a.clerk)  # manages no agency: the agency is not a choice
    refused = client.post(url, {"agency": cw.a.agency.pk, "name": "新科室"})
    assert refused.status_code == 400 and not cw.a.agency.divisions.filter(name="新科室").exists()
