"""Demo key-area records: a procurement project of the city's education bureau whose result was
published late (one late disclosure; the others in time, the contract signed today and still
open), and the bureau's budget of this year, published in time. Called by
gongkai.operations.demo.load_demo; safe to run again (a project already there is left alone).

Dates are relative to today so the demo always shows the same picture; the documents are
imported as already public with their publication dates (catalogue.importing), and the facts go
through the services, so the due dates are the platform calendar's own arithmetic."""

import json
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.catalogue.importing import import_documents
from gongkai.catalogue.models import Document

from . import services
from .models import KeyArea, Obligation, Project

PROCUREMENT_NUMBER = "JZJY-CG-DEMO-01"
PROCUREMENT_TITLE = "江州市第一中学理化生实验室教学设备采购项目"


def _publish(agency: Agency, title: str, on: date, body: str) -> Document:
    existing = Document.objects.public().filter(agency=agency, title=title).first()
    if existing is not None:
        return existing
    row = {
        "title": title,
        "genre": "公告",
        "written_on": on.isoformat(),
        "published_on": on.isoformat(),
        "content": body,
    }
    import_documents(
        [json.dumps(row, ensure_ascii=False).encode()], agency=agency, file_name="keyareas-demo.jsonl"
    )
    return Document.objects.public().get(agency=agency, title=title)


def _stage(project: Project, code: str) -> Obligation:
    return project.obligations.select_related("item").get(item__code=code)


def _record(
    project: Project, code: str, occurred: date, actor, *, published: date | None, title: str, body: str
):
    obligation = services.obligation_occur(
        obligation=_stage(project, code), occurred_on=occurred, actor=actor
    )
    if published is not None:
        doc = _publish(project.agency, title, published, body)
        services.obligation_fulfil(obligation=obligation, document=doc, actor=actor)


def keyareas_demo_load(*, education: Agency, clerk_username: str, today: date | None = None) -> int:
    """Load the demo records for ``education``; returns how many projects were created."""
    today = today or timezone.localdate()
    clerk = get_user_model().objects.get(username=clerk_username)
    if Project.objects.filter(agency=education, number=PROCUREMENT_NUMBER).exists():
        return 0
    project = services.project_create(
        agency=education,
        area=KeyArea.objects.get(code="procurement"),
        fields=services.ProjectFields(
            number=PROCUREMENT_NUMBER,
            title=PROCUREMENT_TITLE,
            budget_amount=1_280_000,
            summary="为江州市第一中学理化生实验室采购教学仪器设备一批，采用公开招标方式。",
        ),
        actor=clerk,
    )
    start = today - timedelta(days=40)  # the procurement starts with its announcement
    result_on = today - timedelta(days=20)
    intention_due = services.obligation_due(unit="days_before", n=30, occurred_on=start).on
    result_due = services.obligation_due(unit="workdays", n=2, occurred_on=result_on).on
    name = "江州市第一中学理化生实验室教学设备"
    _record(
        project,
        "intention",
        start,
        clerk,
        published=intention_due - timedelta(days=5),
        title=f"{name}采购意向公开",
        body="采购需求概况：理化生实验室教学仪器设备一批。预算金额：128万元。",
    )
    _record(
        project,
        "announcement",
        start,
        clerk,
        published=start,
        title=f"{name}公开招标公告",
        body="采购项目预算金额：128万元。投标截止时间以公告为准。",
    )
    _record(
        project,
        "documents",
        result_on,
        clerk,
        published=result_on,
        title=f"{name}招标文件",
        body="招标文件随中标结果同时公告。",
    )
    # the one late disclosure: the result was published a week after its due date
    _record(
        project,
        "result",
        result_on,
        clerk,
        published=result_due + timedelta(days=7),
        title=f"{name}中标结果公告",
        body="中标供应商：江州市某教学设备有限公司。中标金额：1,196,000元。",
    )
    services.obligation_occur(obligation=_stage(project, "contract"), occurred_on=today, actor=clerk)

    budget = services.project_create(
        agency=education,
        area=KeyArea.objects.get(code="budget"),
        fields=services.ProjectFields(
            number=str(today.year), title=f"江州市教育局{today.year}年部门预算和决算", year=today.year
        ),
        actor=clerk,
    )
    approved = today - timedelta(days=30)
    for code, title in (("dept-budget", "部门预算"), ("budget-three-public", "“三公”经费预算")):
        _record(budget, code, approved, clerk, published=approved + timedelta(days=12),
                title=f"江州市教育局{today.year}年{title}", body=f"江州市教育局{today.year}年{title}公开说明。")  # fmt: skip
    return 2
