"""The rules of proactive disclosure as data and pure functions (regulation.md, "Proactive
disclosure"): the default review chain, the state machine of a submission, the non-disclosure
grounds and the publication deadline. No database access here; services.py applies them.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Role
from gongkai.core.grounds import Ground

SHANGHAI = ZoneInfo("Asia/Shanghai")


class SubmissionKind(models.TextChoices):
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("撤回")
    VALIDITY = "validity", _("变更有效性")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("起草中")
    IN_REVIEW = "in_review", _("审查中")
    RETURNED = "returned", _("已退回")
    SCHEDULED = "scheduled", _("待定时发布")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


# The whole state machine: (from, event) -> to. An event not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (SubmissionState.DRAFT, "submit"): SubmissionState.IN_REVIEW,
    (SubmissionState.RETURNED, "submit"): SubmissionState.IN_REVIEW,
    (SubmissionState.IN_REVIEW, "approve_step"): SubmissionState.IN_REVIEW,
    (SubmissionState.IN_REVIEW, "return"): SubmissionState.RETURNED,
    (SubmissionState.IN_REVIEW, "approve_final"): SubmissionState.DONE,
    (SubmissionState.IN_REVIEW, "approve_final_scheduled"): SubmissionState.SCHEDULED,
    (SubmissionState.SCHEDULED, "publish_due"): SubmissionState.DONE,
    (SubmissionState.DRAFT, "cancel"): SubmissionState.CANCELLED,
    (SubmissionState.RETURNED, "cancel"): SubmissionState.CANCELLED,
    (SubmissionState.SCHEDULED, "cancel"): SubmissionState.CANCELLED,
}
OPEN_STATES = (
    SubmissionState.DRAFT,
    SubmissionState.IN_REVIEW,
    SubmissionState.RETURNED,
    SubmissionState.SCHEDULED,
)
EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)


def next_state(state: str, event: str) -> str | None:
    """The state after ``event``, or None when the machine does not allow it."""
    return TRANSITIONS.get((state, event))


class Decision(models.TextChoices):
    SUBMIT = "submit", _("提交审查")
    APPROVE = "approve", _("同意")
    RETURN = "return", _("退回")
    REFER = "refer", _("报保密行政管理部门")
    CANCEL = "cancel", _("撤销")


# Art. 14-16, 36: exactly one ground for every record not proactively disclosed and for every
# redaction. The one vocabulary of 不予公开 grounds, shared with disclosure on application.
NonDisclosureGround = Ground


class InfoType(models.TextChoices):
    """Kinds of information with their own publication deadline (configurable per agency)."""

    DOCUMENT = "document", _("文件")
    MEETING = "meeting", _("会议内容")
    OTHER = "other", _("其他信息")


class DeadlineUnit(models.TextChoices):
    WORKDAYS = "workdays", _("工作日")
    HOURS = "hours", _("小时")


# Art. 26: within 20 working days of the information being formed or changed.
STATUTORY_DEADLINE = (20, DeadlineUnit.WORKDAYS)


@dataclass(frozen=True)
class StepSpec:
    key: str
    label: str
    role: str
    settles_findings: bool = False  # this step must settle every scan finding before approving


ORIGINATOR_STEP = StepSpec("originator", "承办人拟办意见", Role.CLERK)
DEFAULT_CHAIN: tuple[StepSpec, ...] = (
    ORIGINATOR_STEP,
    StepSpec("unit_head", "处室负责人审核", Role.REVIEWER),
    StepSpec("office_review", "政务公开办公室审查", Role.OFFICE_HEAD, settles_findings=True),
    StepSpec("leader_approval", "分管领导审批", Role.LEADER),
)
SECRECY_REFERRAL_STEP = StepSpec("secrecy_bureau", "保密行政管理部门意见（由公开办登记）", Role.OFFICE_HEAD)
APPROVER_ROLES = (Role.REVIEWER, Role.OFFICE_HEAD, Role.LEADER)


def chain_from_data(data: list[dict]) -> tuple[StepSpec, ...]:
    """A chain from its stored form. Raises ValueError saying what is wrong (for the admin form).
    The originator's opinion is always the first step; at least one approval follows."""
    steps = [ORIGINATOR_STEP]
    seen = {ORIGINATOR_STEP.key}
    for i, item in enumerate(data, start=1):
        try:
            step = StepSpec(
                key=str(item["key"]).strip(),
                label=str(item["label"]).strip(),
                role=str(item["role"]),
                settles_findings=bool(item.get("settles_findings", False)),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"第{i}步缺少 key、label 或 role") from exc
        if not step.key or not step.label:
            raise ValueError(f"第{i}步的 key 和 label 不能为空")
        if step.key in seen:
            raise ValueError(f"第{i}步的 key “{step.key}”重复")
        if step.role not in APPROVER_ROLES:
            raise ValueError(f"第{i}步的角色必须是审核人、公开办负责人或机关领导")
        seen.add(step.key)
        steps.append(step)
    if len(steps) < 2:
        raise ValueError("审查链至少需要一个审批步骤")
    if not any(s.settles_findings for s in steps):
        # Someone must settle the pre-scan findings: the last step does when none is named.
        last = steps[-1]
        steps[-1] = StepSpec(last.key, last.label, last.role, settles_findings=True)
    return tuple(steps)


def chain_to_data(chain: tuple[StepSpec, ...]) -> list[dict]:
    return [
        {"key": s.key, "label": s.label, "role": s.role, "settles_findings": s.settles_findings}
        for s in chain
        if s.key != ORIGINATOR_STEP.key
    ]


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)


def publication_due(formed_at: datetime, amount: int, unit: str, workday_add) -> tuple[datetime, bool, str]:
    """When a record formed at ``formed_at`` must be published: (due, provisional, explanation).

    Working-day periods start the day after formation (the day itself is not counted) and end at
    the end of the last day; hour periods run from the moment of formation. ``workday_add`` is the
    calendar function (start, n) -> WorkdayResult, passed in so this stays pure."""
    if amount < 1:
        raise ValueError("期限必须至少为1")
    if unit == DeadlineUnit.HOURS:
        due = formed_at.astimezone(SHANGHAI) + timedelta(hours=amount)
        return due, False, f"形成后{amount}小时内公开"
    result = workday_add(formed_at.astimezone(SHANGHAI).date(), amount)
    return (
        end_of_day(result.date),
        result.provisional,
        f"形成之日起{amount}个工作日内公开（{result.explanation}）",
    )


def days_late(due_at: datetime, done_at: datetime) -> int:
    """Whole calendar days after the due moment (0 when on time)."""
    if done_at <= due_at:
        return 0
    return (done_at.astimezone(SHANGHAI).date() - due_at.astimezone(SHANGHAI).date()).days or 1
