"""Assessment (考核, Art. 46) as pure functions: periods, one 0-100 score per indicator from an
agency's facts, the weighted total and the ranking. No database access here; facts.py gathers
the figures and services.py stores the results.

Formulas (``target`` is the indicator's configured target; defaults in DEFAULT_TARGETS):

- publication_on_time: share of items published on time in the period (TimelinessFigure),
  ``min(100, 100 * rate / target)`` with ``target`` the rate (%) that earns full marks.
- reply_on_time: share of replies decided in the period on or before their due date, same scale.
- overdue: ``max(0, 100 - target * n)``, n = applications whose due date fell in the period and
  that were replied late or are still unanswered; ``target`` = points deducted per case.
- reversed: ``max(0, 100 - target * n)``, n = reconsideration or litigation cases decided in the
  period with the result corrected (纠正); ``target`` = points deducted per case.
- catalogue_current: days from the last publication to the period's end (or today, if
  earlier): 100 up to ``target`` days, falling linearly to 0 at twice ``target``; nothing public
  by then: 不适用 (None), not 0 (an agency with no catalogue yet is not comparable on freshness).
- guide_current: days from the last review of the disclosure guide's office details (edited or
  confirmed accurate, on or before the period's end) to the period's end (or today, if earlier),
  same scale as catalogue_current; never reviewed, not known to have been reviewed by then, or
  no disclosure office: 0.
- complaints_upheld: ``max(0, 100 - target * n)``, n = complaints upheld in the period.
- keyarea_on_time: share of owed key-area disclosures (重点领域, keyareas.selectors) due in the
  period's year up to the period's end that were published in time, against those in time, late or
  still missing; same scale as publication_on_time. Nothing owed: None.
- consultation_adoption: share of the comment groups decided on consultations opened in the period
  that were adopted in full or in part (consultations.selectors.consultation_statistics); same
  scale. No group decided: None.
- question_on_time: share of the questions received in the period (网上咨询) and answered that were
  answered by their due date (questions.selectors.question_statistics); same scale. None answered:
  None (unanswered overdue questions are listed in the workbench).
- manual: the score entered by the assessor (0-100).

An indicator without data (nothing published, no reply due, no manual score yet, complaints not
tracked) scores None and is left out: the remaining weights are scaled up, so an agency is
neither rewarded nor penalised for having had no applications."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKey(models.TextChoices):
    PUBLICATION_ON_TIME = "publication_on_time", _("主动公开及时率")
    REPLY_ON_TIME = "reply_on_time", _("依申请公开按时答复率")
    OVERDUE = "overdue", _("逾期答复件数")
    REVERSED = "reversed", _("复议诉讼被纠错件数")
    CATALOGUE_CURRENT = "catalogue_current", _("目录更新及时")
    COMPLAINTS_UPHELD = "complaints_upheld", _("举报属实件数")
    GUIDE_CURRENT = "guide_current", _("公开指南及时更新")
    KEYAREA_ON_TIME = "keyarea_on_time", _("重点领域按时公开率")
    CONSULTATION_ADOPTION = "consultation_adoption", _("征求意见采纳率")
    QUESTION_ON_TIME = "question_on_time", _("网上咨询按时答复率")
    MANUAL = "manual", _("人工评分")


DEFAULT_TARGETS = {
    IndicatorKey.PUBLICATION_ON_TIME: Decimal(100),
    IndicatorKey.REPLY_ON_TIME: Decimal(100),
    IndicatorKey.OVERDUE: Decimal(20),
    IndicatorKey.REVERSED: Decimal(20),
    IndicatorKey.CATALOGUE_CURRENT: Decimal(30),
    IndicatorKey.COMPLAINTS_UPHELD: Decimal(20),
    IndicatorKey.GUIDE_CURRENT: Decimal(365),
    IndicatorKey.KEYAREA_ON_TIME: Decimal(100),
    IndicatorKey.CONSULTATION_ADOPTION: Decimal(100),
    IndicatorKey.QUESTION_ON_TIME: Decimal(100),
    IndicatorKey.MANUAL: Decimal(100),
}

_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4]))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    """A calendar quarter ("2026Q1") or year ("2026"), both ends included."""

    label: str
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year


def period_parse(label: str) -> Period:
    """The period named by ``label``; PeriodError for anything else."""
    match = _PERIOD.match((label or "").strip().upper())
    if not match:
        raise PeriodError(_("考核期间应为年度（如2026）或季度（如2026Q1）。"))
    year, quarter = int(match.group(1)), match.group(2)
    if quarter is None:
        return Period(str(year), date(year, 1, 1), date(year, 12, 31))
    q = int(quarter)
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return Period(f"{year}Q{q}", start, end - timedelta(days=1))


def period_of(day: date, *, yearly: bool = False) -> Period:
    """The quarter (or year) that contains ``day``."""
    return period_parse(str(day.year) if yearly else f"{day.year}Q{(day.month - 1) // 3 + 1}")


def periods_of_year(year: int) -> list[Period]:
    """The year's four quarters, then the year itself (the order of the period selector)."""
    return [period_parse(f"{year}Q{q}") for q in range(1, 5)] + [period_parse(str(year))]


@dataclass
class AgencyFacts:
    """What the platform recorded about one agency in one period."""

    published_on_time: int = 0
    published_late: int = 0
    replies_on_time: int = 0
    replies_late: int = 0
    overdue: int = 0
    reversed: int = 0
    last_published_on: date | None = None
    complaints_upheld: int | None = None  # None: complaints are not tracked on this platform
    guide_reviewed_on: date | None = None  # the last review on or before the period's end
    keyarea_in_time: int = 0  # owed key-area disclosures published in time
    keyarea_late: int = 0
    keyarea_missing: int = 0  # due and not (publicly) published
    consultations: int = 0  # drafts opened for comment in the period
    consultation_comments: int = 0
    consultation_adopted: int = 0  # comment groups adopted in full or in part
    consultation_not_adopted: int = 0
    questions: int = 0  # questions received in the period
    questions_answered: int = 0
    questions_answered_on_time: int = 0


def _rate_score(good: int, bad: int, target: Decimal) -> float | None:
    if good + bad == 0:
        return None
    rate = Decimal(100) * good / (good + bad)
    return float(min(Decimal(100), Decimal(100) * rate / target if target > 0 else Decimal(100)))


def _deduction_score(count: int | None, per_case: Decimal) -> float | None:
    if count is None:
        return None
    return float(max(Decimal(0), Decimal(100) - per_case * count))


def _freshness_score(
    last: date | None, as_of: date, target: Decimal, *, never: float | None = 0.0
) -> float | None:
    if last is None:
        return never
    days = Decimal(max(0, (as_of - last).days))
    if days <= target:
        return 100.0
    if target <= 0 or days >= 2 * target:
        return 0.0
    return float(Decimal(100) * (2 * target - days) / target)


def _as_of(period: Period, today: date | None) -> date:
    return min(period.end, today) if today else period.end


def indicator_score(
    key: str, facts: AgencyFacts, period: Period, *, target: Decimal | None = None,
    today: date | None = None, manual: Decimal | None = None,
) -> float | None:  # fmt: skip
    """One indicator's score (0-100) for one agency, or None when there is nothing to score."""
    target = DEFAULT_TARGETS[key] if target is None else Decimal(target)
    if key == IndicatorKey.PUBLICATION_ON_TIME:
        score = _rate_score(facts.published_on_time, facts.published_late, target)
    elif key == IndicatorKey.REPLY_ON_TIME:
        score = _rate_score(facts.replies_on_time, facts.replies_late, target)
    elif key == IndicatorKey.OVERDUE:
        score = _deduction_score(facts.overdue, target)
    elif key == IndicatorKey.REVERSED:
        score = _deduction_score(facts.reversed, target)
    elif key == IndicatorKey.COMPLAINTS_UPHELD:
        score = _deduction_score(facts.complaints_upheld, target)
    elif key == IndicatorKey.CATALOGUE_CURRENT:
        score = _freshness_score(facts.last_published_on, _as_of(period, today), target, never=None)
    elif key == IndicatorKey.GUIDE_CURRENT:
        score = _freshness_score(facts.guide_reviewed_on, _as_of(period, today), target)
    elif key == IndicatorKey.KEYAREA_ON_TIME:
        score = _rate_score(facts.keyarea_in_time, facts.keyarea_late + facts.keyarea_missing, target)
    elif key == IndicatorKey.CONSULTATION_ADOPTION:
        score = _rate_score(facts.consultation_adopted, facts.consultation_not_adopted, target)
    elif key == IndicatorKey.QUESTION_ON_TIME:
        answered, on_time = facts.questions_answered, facts.questions_answered_on_time
        score = _rate_score(on_time, answered - on_time, target)
    elif key == IndicatorKey.MANUAL:
        score = None if manual is None else float(max(Decimal(0), min(Decimal(100), Decimal(manual))))
    else:
        raise ValueError(f"unknown indicator {key!r}")
    return None if score is None else round(score, 2)


def weighted_total(scored: list[tuple[float | None, Decimal]]) -> float | None:
    """The weighted mean of (score, weight) pairs that have a score; None when none has."""
    pairs = [(Decimal(str(s)), Decimal(w)) for s, w in scored if s is not None and Decimal(w) > 0]
    weight = sum((w for _s, w in pairs), Decimal(0))
    if weight == 0:
        return None
    total = sum((s * w for s, w in pairs), Decimal(0)) / weight
    return float(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rank(totals: dict[int, float | None]) -> dict[int, int | None]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; no total, no rank."""
    ordered = sorted((t for t in totals.values() if t is not None), reverse=True)
    first_place = {}
    for place, total in enumerate(ordered, start=1):
        first_place.setdefault(total, place)
    return {key: (None if t is None else first_place[t]) for key, t in totals.items()}
