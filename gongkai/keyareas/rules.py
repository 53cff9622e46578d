"""The rules of key-area disclosure as pure functions: when an item is due and whether it was
disclosed in time. No database access; the services pass the platform calendar in.

Deadlines are data (the catalogue file, docs/keyareas.md): each standard item names a unit and a
number. The three units in the shipped catalogue:

- ``workdays``: N working days after the day the information was formed or changed (条例
  Art. 26, "自该政府信息形成或者变更之日起20个工作日内"; 政府采购法实施条例 Art. 43 and 50,
  "2个工作日内"); the day itself is not counted, and 0 means the same day;
- ``days``: N calendar days after it (预算法 Art. 14, "批复后二十日内": 日, not 工作日);
- ``days_before``: N calendar days before it (财库〔2020〕10号: the procurement intention is
  published at least 30 days before the procurement starts).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class DueUnit(models.TextChoices):
    WORKDAYS = "workdays", _("个工作日内")
    DAYS = "days", _("日内")
    DAYS_BEFORE = "days_before", _("日前")


class RecordKind(models.TextChoices):
    """The structured records an area keeps, whose stages are the area's stage items."""

    PROCUREMENT = "procurement", _("政府采购项目")
    CONSTRUCTION = "construction", _("重大建设项目")
    BUDGET = "budget", _("部门预决算")


class Status(models.TextChoices):
    """Where one owed disclosure stands, derived on read (STYLE.md, habit 4)."""

    NOT_YET = "not_yet", _("尚未形成")
    OPEN = "open", _("待公开")
    IN_TIME = "in_time", _("按时公开")
    LATE = "late", _("逾期公开")
    MISSING = "missing", _("逾期未公开")


# The statuses that count in compliance figures: the item was owed and its deadline has come.
SETTLED = (Status.IN_TIME, Status.LATE, Status.MISSING)


@dataclass(frozen=True)
class Due:
    on: date
    provisional: bool  # a working-day period crossing a year whose holiday notice is not loaded


def due_date(
    *, unit: str, n: int, occurred_on: date, add_workdays: Callable[[date, int], tuple[date, bool]]
) -> Due:
    """The last day to publish an item whose information was formed or changed on
    ``occurred_on``; ``add_workdays(start, n)`` is the platform calendar (start not counted)."""
    if n < 0:
        raise ValueError(f"a deadline of {n} {unit} is negative")
    if unit == DueUnit.WORKDAYS:
        if n == 0:
            return Due(occurred_on, False)
        end, provisional = add_workdays(occurred_on, n)
        return Due(end, provisional)
    if unit == DueUnit.DAYS:
        return Due(occurred_on + timedelta(days=n), False)
    if unit == DueUnit.DAYS_BEFORE:
        return Due(occurred_on - timedelta(days=n), False)
    raise ValueError(f"unknown deadline unit {unit!r}")


def status_of(
    *, occurred_on: date | None, due_on: date | None, published_on: date | None, today: date
) -> Status:
    """Where an owed disclosure stands on ``today``: ``published_on`` is the publication date
    of the public document that fulfils it (None when there is none, or it was withdrawn)."""
    if published_on is not None:
        if due_on is None or published_on <= due_on:
            return Status.IN_TIME
        return Status.LATE
    if occurred_on is None or due_on is None:
        return Status.NOT_YET
    return Status.MISSING if today > due_on else Status.OPEN


def deadline_text(unit: str, n: int) -> str:
    """The deadline in words, for items whose catalogue entry gives none."""
    if unit == DueUnit.WORKDAYS and n == 0:
        return str(_("当日"))
    return f"{n}{DueUnit(unit).label}"
