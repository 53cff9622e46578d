"""Decisions opened before they are taken (重大决策预公开) as data and pure functions: the comment
period, the phases of a consultation, comment moderation, adoption decisions and hearings. No
database access here; services.py applies them.
"""

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

# 重大行政决策程序暂行条例 Art. 15: 征求意见的期限一般不少于30日 (calendar days, the first day
# counted). A shorter period is allowed, but its reason must be given and shown to the public.
MIN_PERIOD_DAYS = 30
# A consultation is "closing" in the workbench when this many days or fewer are left.
CLOSING_SOON_DAYS = 7

GENRE_DRAFT = "征求意见稿"
GENRE_REPORT = "意见采纳情况"


def period_days(opens_on: date, closes_on: date) -> int:
    """Days in the comment period, both ends included."""
    return (closes_on - opens_on).days + 1


def default_closes_on(opens_on: date) -> date:
    """The last day of a period of exactly the statutory minimum."""
    return opens_on + timedelta(days=MIN_PERIOD_DAYS - 1)


def period_problem(opens_on: date, closes_on: date, short_reason: str) -> str | None:
    """What is wrong with a comment period, in words for the office; None when it is lawful."""
    if closes_on < opens_on:
        return str(_("截止日期不能早于开始日期。"))
    if period_days(opens_on, closes_on) < MIN_PERIOD_DAYS and not short_reason.strip():
        return str(
            _(
                "征求意见期限一般不少于%(n)d日（《重大行政决策程序暂行条例》第十五条）；少于%(n)d日的须说明理由并向社会公开。"
            )
            % {"n": MIN_PERIOD_DAYS}
        )
    return None


class Phase(models.TextChoices):
    """Where a consultation stands, derived from stored facts (STYLE.md, habit 4)."""

    DRAFTING = "drafting", _("审查中")
    UPCOMING = "upcoming", _("即将征求意见")
    OPEN = "open", _("征求意见中")
    CLOSED = "closed", _("意见整理中")
    CONCLUDED = "concluded", _("已公布采纳情况")
    CANCELLED = "cancelled", _("已终止")


def phase(
    *, draft_public: bool, opens_on: date, closes_on: date, report_public: bool, cancelled: bool, today: date
) -> str:
    """The phase of a consultation. The draft must have passed its review chain and be public
    before anyone can comment; the report's publication concludes it."""
    if cancelled:
        return Phase.CANCELLED
    if report_public:
        return Phase.CONCLUDED
    if not draft_public:
        return Phase.DRAFTING
    if today < opens_on:
        return Phase.UPCOMING
    if today <= closes_on:
        return Phase.OPEN
    return Phase.CLOSED


class IdentityRule(models.TextChoices):
    """Whether a commenter must give a name, as the agency chooses for each consultation."""

    ANONYMOUS_ALLOWED = "anonymous", _("可匿名提出意见")
    NAME_REQUIRED = "named", _("须署名并留联系方式")


class Moderation(models.TextChoices):
    """Whether a received comment is shown on the public page. Nothing is deleted: a withheld
    comment stays on record, is grouped and answered in the adoption report like any other."""

    PENDING = "pending", _("待审核")
    SHOWN = "shown", _("已公开展示")
    WITHHELD = "withheld", _("不予展示")


MODERATION_TRANSITIONS = {
    (Moderation.PENDING, "show"): Moderation.SHOWN,
    (Moderation.PENDING, "withhold"): Moderation.WITHHELD,
    (Moderation.WITHHELD, "show"): Moderation.SHOWN,
    (Moderation.SHOWN, "withhold"): Moderation.WITHHELD,
}


def next_moderation(state: str, event: str) -> str | None:
    """The moderation state after ``event``, or None when not allowed."""
    return MODERATION_TRANSITIONS.get((state, event))


class Adoption(models.TextChoices):
    """What became of a group of comments (意见采纳情况)."""

    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


def adoption_problem(decision: str, reason: str) -> str | None:
    """A decision that does not adopt a comment in full must say why (the report shows it)."""
    if decision not in Adoption.values:
        return str(_("请选择采纳情况。"))
    if decision != Adoption.ADOPTED and not reason.strip():
        return str(_("部分采纳或未采纳的，须说明理由。"))
    return None


def adoption_rate(adopted: int, partly: int, decided: int) -> float | None:
    """Share of decided comment groups adopted in full or in part; None with nothing decided."""
    if not decided:
        return None
    return round((adopted + partly) / decided, 4)


def report_body(*, title: str, received: int, groups: list[tuple[str, str, str]]) -> str:
    """The text of the adoption report (意见采纳情况) from the grouped comments: one paragraph per
    group, (summary, decision label, reason). The office may edit it before submitting."""
    lines = [
        f"《{title}》公开征求意见期间，共收到意见{received}条，归纳为{len(groups)}类。"
        "现将意见采纳情况公布如下：",
    ]
    for i, (summary, label, reason) in enumerate(groups, start=1):
        line = f"{i}. {summary}（{label}）"
        if reason.strip():
            line += f"理由：{reason.strip()}"
        lines.append(line)
    return "\n".join(lines)


class HearingState(models.TextChoices):
    ANNOUNCED = "announced", _("已公告，接受报名")
    SELECTED = "selected", _("已确定参加人")
    HELD = "held", _("已举行，笔录已公开")
    CANCELLED = "cancelled", _("已取消")


HEARING_TRANSITIONS = {
    (HearingState.ANNOUNCED, "select"): HearingState.SELECTED,
    (HearingState.SELECTED, "select"): HearingState.SELECTED,
    (HearingState.SELECTED, "record"): HearingState.HELD,
    (HearingState.ANNOUNCED, "cancel"): HearingState.CANCELLED,
    (HearingState.SELECTED, "cancel"): HearingState.CANCELLED,
}


def next_hearing_state(state: str, event: str) -> str | None:
    return HEARING_TRANSITIONS.get((state, event))
