"""Demo complaints and suggestions about the city's departments, one at each stage: just
received, being investigated, answered (one upheld and published, one not upheld) and one left
open past its answer date. Called by gongkai.operations.demo.load_demo; safe to run again.

Each is validated by the portal's ComplaintForm and goes through the services; the ones received
earlier carry their day of receipt (``received_at``), so their answer date and lateness are the
services' own arithmetic on the configured working-day limit."""

from dataclasses import dataclass, replace
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency

from . import services
from .forms import ComplaintForm
from .models import Complaint
from .rules import Kind, answer_workdays


@dataclass(frozen=True)
class DemoComplaint:
    key: str  # the idempotency key: a second load finds the complaint and leaves it alone
    kind: str
    agency: str  # which of the agencies passed in, by keyword
    content: str
    days_ago: int | None = None  # None: received now; "overdue": see _received_at
    name: str = ""
    contact: str = ""
    investigate: str | None = None  # the internal note, when taken up
    answer: str | None = None
    upheld: bool | None = None
    public_summary: str = ""
    public_answer: str = ""


OVERDUE = -1  # days_ago marker: received long enough ago to be past the answer date

COMPLAINTS = [
    DemoComplaint(
        key="demo-complaint-admissions",
        kind=Kind.COMPLAINT,
        agency="education",
        name="陈立新",
        contact="13970211234",
        content=(
            "江州市教育局至今未在门户网站公开{year}年义务教育阶段公办学校施教区划分方案，"
            "家长只能向学校打听，各校说法不一。请督促该局依法主动公开。"
        ),
    ),
    DemoComplaint(
        key="demo-complaint-health-accounts",
        kind=Kind.COMPLAINT,
        agency="health",
        days_ago=12,
        name="刘海燕",
        contact="liuhaiyan@example.com",
        content=(
            "按照规定，部门决算应在批复后20日内公开，但江州市卫生健康委员会网站上至今查不到{last_year}年度部门决算，"
            "“财政信息”栏目已很久没有更新。"
        ),
        investigate="已调取该委门户网站更新记录，并向市财政局核实决算批复日期。",
        answer=(
            "您好！经调查，市财政局已批复江州市卫生健康委员会{last_year}年度部门决算，该委未在规定期限内公开，"
            "举报属实。我办已责令该委在5个工作日内补充公开，并在全市政务公开工作通报中予以通报。感谢您的监督。"
        ),
        upheld=True,
        public_summary="群众反映江州市卫生健康委员会未按规定期限公开{last_year}年度部门决算。",
        public_answer=(
            "经调查，举报属实。市政府办公室已责令江州市卫生健康委员会在5个工作日内补充公开{last_year}年度部门决算，"
            "并在全市政务公开工作通报中予以通报。目前该委已在门户网站“财政信息”栏目公开。"
        ),
    ),
    DemoComplaint(
        key="demo-complaint-eia-approvals",
        kind=Kind.COMPLAINT,
        agency="environment",
        days_ago=9,
        name="江州市绿源环保志愿者协会",
        contact="0792-8234567",
        content=(
            "江州市生态环境局对城东污水处理厂扩建项目环境影响报告书作出审批决定后，没有及时公开审批结果。"
        ),
        investigate="已核对该局建设项目环评审批信息公开栏目及审批决定文书。",
        answer=(
            "您好！经核查，市生态环境局作出该项目环境影响报告书的批复后，已于3个工作日内在门户网站"
            "“环评审批”栏目公开了审批决定全文，公开时间符合规定，举报不属实。您可在该栏目查阅。"
        ),
        upheld=False,
    ),
    DemoComplaint(
        key="demo-suggestion-admissions-guide",
        kind=Kind.SUGGESTION,
        agency="education",
        days_ago=3,
        content=(
            "建议教育局在招生入学政策解读中增加图解和常见问题，把报名时间、所需材料和办理流程做成一张图，"
            "方便家长查看。"
        ),
        investigate="已转基础教育科研究，拟在明年招生政策发布时同步推出图解。",
    ),
    DemoComplaint(
        key="demo-complaint-housing-allocation",
        kind=Kind.COMPLAINT,
        agency="housing",
        days_ago=OVERDUE,
        name="黄建军",
        contact="0792-8561234",
        content=(
            "江州市住房和城乡建设局{year}年第二批公共租赁住房配租结果只在办事大厅张贴了几天，网站上没有公开，"
            "无法核对配租对象和房源情况。"
        ),
        investigate="已调取该局公租房配租工作方案，待该局提供公示材料后作出答复。",
    ),
]


def _dated(item: DemoComplaint, year: int) -> DemoComplaint:
    """The texts with {year} and {last_year} filled in, so the demo reads as current in any year."""
    texts = ("content", "investigate", "answer", "public_summary", "public_answer")
    return replace(
        item,
        **{
            key: getattr(item, key).format(year=year, last_year=year - 1)
            for key in texts
            if getattr(item, key)
        },
    )


def _received_at(days_ago: int | None):
    if days_ago is None:
        return None
    if days_ago == OVERDUE:
        # Twice the limit in calendar days, plus two weeks: past the answer date however the
        # working days and holidays fall.
        days_ago = 2 * answer_workdays() + 14
    return timezone.now() - timedelta(days=days_ago)


def _submit(item: DemoComplaint, agency: Agency) -> Complaint:
    form = ComplaintForm(
        data={
            "kind": item.kind,
            "agency": agency.code,
            "name": item.name,
            "contact": item.contact,
            "content": item.content,
        }
    )
    if not form.is_valid():
        raise ValueError(f"demo complaint {item.key} is invalid: {form.errors.as_text()}")
    return services.complaint_submit(
        data=form.cleaned_data, idempotency_key=item.key, received_at=_received_at(item.days_ago)
    ).complaint


def complaints_demo_load(
    *,
    education: Agency,
    health: Agency,
    environment: Agency,
    housing: Agency,
    supervisor_username: str,
    clerk_username: str,
) -> int:
    """Submit and handle the sample complaints not yet present; returns how many were added.
    Complaints go to the city (the departments' parent), handled by its supervisor; the
    suggestion goes to the education bureau, handled by its clerk."""
    agencies = {"education": education, "health": health, "environment": environment, "housing": housing}
    users = get_user_model().objects.in_bulk([supervisor_username, clerk_username], field_name="username")
    present = set(
        Complaint.objects.filter(idempotency_key__in=[c.key for c in COMPLAINTS]).values_list(
            "idempotency_key", flat=True
        )
    )
    added = 0
    for item in COMPLAINTS:
        if item.key in present:
            continue
        item = _dated(item, timezone.localdate().year)
        complaint = _submit(item, agencies[item.agency])
        actor = users[clerk_username if item.kind == Kind.SUGGESTION else supervisor_username]
        if item.investigate is not None:
            complaint = services.complaint_investigate(
                complaint=complaint, actor=actor, note=item.investigate
            )
        if item.answer is not None:
            complaint = services.complaint_answer(
                complaint=complaint, answer=item.answer, upheld=item.upheld, actor=actor
            )
        if item.public_answer:
            services.complaint_publish(
                complaint=complaint,
                public=True,
                public_summary=item.public_summary,
                public_answer=item.public_answer,
                actor=actor,
            )
        added += 1
    return added
