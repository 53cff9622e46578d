"""The statutory clock of disclosure on application (依申请公开): pure functions, no database
(STYLE.md, habit 2). The services store the clock events as facts and call ``compute_clock`` to
derive the deadlines; "overdue" is derived on read from ``reply_due_on``.

The law (regulation.md, "Receipt date" and "Clocks"; fees.md, "Procedure"), as applied here:

- **Counting.** A period in working days starts the day after the triggering event, which is
  not counted itself; it ends at the end of its last counted working day. Working days come from
  ``gongkai.core.calendar`` (the State Council's holiday notices with their 调休 working days).
- **Receipt** (RECEIVED, Art. 31) starts the reply period: ``reply_days`` (20) working days
  after ``period_start`` (Art. 33(2)). Staff must send any correction notice within
  ``correction_notice_days`` (7) working days of receipt (Art. 30).
- **Correction** (补正, Art. 30). CORRECTION_REQUESTED (``days`` = the time limit given to the
  applicant, in working days) stops the clock; it may be sent only once (一次性告知).
  CORRECTION_RECEIVED restarts the reply period in full from its own date: extensions, an
  Art. 35 later date and pauses that ended by then belong to the old period and are dropped.
  A correction notice sent after the ``correction_notice_days`` window (regulation.md, "A
  correction notice after the 7-working-day window") neither stops nor restarts the reply
  period: the original deadline stands (the services refuse such a notice unless the deployment
  allows late notices).
- **Periods the applicant keeps run from the applicant's receipt of the notice** (Art. 30;
  fees.md: 20 working days from the day after the applicant receives the fee notice).
  CORRECTION_NOTICE_RECEIVED / FEE_NOTICE_RECEIVED record the day the notice reached the
  applicant (online: the day it is on the progress page; post: the return receipt; in person:
  the day handed over). The applicant's period is ``days`` (correction) or ``fee_payment_days``
  (fee) working days after that day. Until the receipt is recorded the applicant's deadline is
  unknown (``notices_awaiting_receipt`` names the notice) and the case never lapses. No
  correction after ``correction_due_on`` (as of ``today``) = abandoned ("no_correction"); no
  payment after ``fee_payment_due_on`` = abandoned ("fee_unpaid"). A receipt before the notice
  was sent, a second receipt, or one for a notice never sent raises ``ClockError``.
- **Pauses: one convention for all of them.** The time spent consulting third parties or
  other agencies (Art. 32, 34, 33(3); CONSULTATION_STARTED/ENDED, paired by ``ref``) and, when
  ``rules.fee_pauses_clock``, between a fee notice and payment or waiver (FEE_NOTICE_SENT,
  FEE_PAID/FEE_WAIVED) does not count. **A pause from S to E excludes both ends: the day the
  notice or request is sent (S) and the day of payment or answer (E) are not counted, nor any
  day between** (the fee notice says 自本机关发出本通知书之日起至您缴费完成之日止); counting
  resumes the day after E. Overlapping pauses count once (their union pauses); holidays inside a
  pause are simply not working days, so nothing is counted twice. A pause still open stops the
  count: ``reply_due_on`` is None and ``days_remaining_when_paused`` says how many working days
  are left. A pause that starts after the deadline has been reached cannot revive it: the date
  stays.
- **A consultation nobody answers still ends** (regulation.md, "A consultation without an
  answer"): the consulted party answers within ``consultation_days`` (15) working days of
  receiving the request (CONSULTATION_DELIVERED, when recorded; otherwise the sending day is
  taken as the day of receipt). When that period runs out without a recorded answer the pause
  ends on its last day by itself, so the case is due again; a CONSULTATION_ENDED recorded later
  than the answer deadline ends the pause at the answer deadline all the same: the extra days
  count against the agency.
- **Extension** (EXTENDED, Art. 33(2)) adds ``days`` working days to the current period, at most
  ``max_extension_days`` (20) in total, decided no later than the original deadline (the
  deadline without extensions; the day itself still counts).
- **Excessive requests** (Art. 35): EXCESSIVE_REASONS_REQUESTED is recorded and does not stop
  the clock (the Regulation does not say it does); EXCESSIVE_LATER_DATE sets a later reply date
  (``until``), which then replaces the computed deadline and is not moved by later pauses.
- **Provisional.** A date is provisional when the days it spans include a year whose holiday
  notice is not loaded (``HolidayCalendar.covers``); ``provisional`` is set when any date in the
  state is.

Events are taken in date order (stable: equal dates keep the order given). An event the law
does not allow at that point (an event before the receipt, a second receipt or correction
request, a correction received or a fee paid with none asked for, a consultation ended that was
not started, an extension over the limit or too late), an event dated after ``today`` or a
field an event does not use raises ``ClockError`` with a message in Chinese.

Kept as one module on purpose (over 500 lines): its rules interact (pauses, extensions, the
applicant's periods) and read as one text beside the articles they apply.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.utils.translation import gettext as _

from gongkai.core.calendar import (
    HolidayCalendar,
    WorkdayResult,
    add_workdays,
    count_workdays,
    notice_years,
)

_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class ClockError(ValueError):
    """A clock event the law does not allow at that point (message in Chinese, for the user)."""


class EventKind(StrEnum):
    RECEIVED = "received"  # receipt date (Art. 31); starts the reply period
    CORRECTION_REQUESTED = "correction_requested"  # 补正告知 sent; stops the clock; days = applicant's limit
    CORRECTION_RECEIVED = "correction_received"  # corrected application received; period restarts
    CONSULTATION_STARTED = "consultation_started"  # Art. 32/34; ref pairs start and end; pauses
    CONSULTATION_DELIVERED = "consultation_delivered"  # the consulted party received the request
    CONSULTATION_ENDED = "consultation_ended"  # answer received; resumes (capped at the answer period)
    FEE_NOTICE_SENT = "fee_notice_sent"  # pauses until paid (when the rules say so)
    FEE_PAID = "fee_paid"  # resumes
    FEE_WAIVED = "fee_waived"  # resumes as if paid
    CORRECTION_NOTICE_RECEIVED = "correction_notice_received"  # applicant received the 补正告知
    FEE_NOTICE_RECEIVED = "fee_notice_received"  # applicant received the 收费通知
    EXTENDED = "extended"  # days more working days (total <= max_extension_days)
    EXCESSIVE_REASONS_REQUESTED = "excessive_reasons_requested"  # Art. 35 说明理由告知; no pause
    EXCESSIVE_LATER_DATE = "excessive_later_date"  # Art. 35 later reply date in until


# The legal basis of each event, for the record the services keep beside it.
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
BASIS: dict[EventKind, str] = {
    EventKind.RECEIVED: "《条例》第三十一条、第三十三条第二款",
    EventKind.CORRECTION_REQUESTED: "《条例》第三十条",
    EventKind.CORRECTION_RECEIVED: "《条例》第三十条",
    EventKind.CONSULTATION_STARTED: "《条例》第三十二条、第三十四条、第三十三条第三款",
    EventKind.CONSULTATION_DELIVERED: "《条例》第三十二条、第三十四条",
    EventKind.CONSULTATION_ENDED: "《条例》第三十三条第三款",
    EventKind.CORRECTION_NOTICE_RECEIVED: "《条例》第三十条",
    EventKind.FEE_NOTICE_RECEIVED: FEE_MEASURES,
    EventKind.FEE_NOTICE_SENT: f"《条例》第四十二条、{FEE_MEASURES}",
    EventKind.FEE_PAID: FEE_MEASURES,
    EventKind.FEE_WAIVED: FEE_MEASURES,
    EventKind.EXTENDED: "《条例》第三十三条第二款",
    EventKind.EXCESSIVE_REASONS_REQUESTED: "《条例》第三十五条",
    EventKind.EXCESSIVE_LATER_DATE: "《条例》第三十五条",
}

_DAYS_REQUIRED = (EventKind.CORRECTION_REQUESTED, EventKind.EXTENDED)
_REF_USED = (EventKind.CONSULTATION_STARTED, EventKind.CONSULTATION_DELIVERED, EventKind.CONSULTATION_ENDED)


@dataclass(frozen=True)
class ClockEvent:
    kind: EventKind
    on: date
    days: int = 0  # CORRECTION_REQUESTED: the applicant's time limit; EXTENDED: days added
    ref: str = ""  # CONSULTATION_*: pairs a start with its end
    until: date | None = None  # EXCESSIVE_LATER_DATE: the later reply date


@dataclass(frozen=True)
class ClockRules:
    """The periods, in working days; the defaults are the law. One set applies to the whole
    platform (the services always use ``DEFAULT_RULES``): rules per agency, such as a local
    regulation with shorter limits, are not supported, so no deadline ever depends on them."""

    reply_days: int = 20
    correction_notice_days: int = 7
    consultation_days: int = 15
    fee_payment_days: int = 20
    max_extension_days: int = 20
    fee_pauses_clock: bool = True  # fees.md: not confirmed verbatim, so configurable

    def __post_init__(self):
        for name in ("reply_days", "correction_notice_days", "consultation_days", "fee_payment_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"ClockRules.{name} must be a whole number of at least 1, not {value!r}")
        ext = self.max_extension_days
        if isinstance(ext, bool) or not isinstance(ext, int) or ext < 0:
            raise ValueError(
                f"ClockRules.max_extension_days must be a whole number of at least 0, not {ext!r}"
            )


DEFAULT_RULES = ClockRules()


@dataclass
class ClockState:
    received_on: date | None = None
    period_start: date | None = None  # receipt or correction-received date; None awaiting correction
    reply_due_on: date | None = (
        None  # None before receipt, awaiting correction, or while a pause stops the count
    )
    original_due_on: date | None = None  # the same without extensions (an extension must come by then)
    days_remaining_when_paused: int | None = None  # working days left when an open pause stopped the count
    paused: bool = False  # awaiting correction or a pause is open
    pause_reasons: list[str] = field(default_factory=list)
    awaiting_correction: bool = False
    correction_notice_due_on: date | None = None  # staff's 7 days; None once requested
    correction_due_on: date | None = None  # applicant's limit while awaited; None until the notice's receipt
    correction_notice_received_on: date | None = None  # the applicant received the correction notice
    correction_notice_late: bool = False  # sent after the 7-day window: the reply period runs on
    correction_outstanding: bool = False  # a correction notice is out and no correction came yet
    consultation_answers_due: dict[str, date] = field(default_factory=dict)  # open consultations
    consultations_lapsed: dict[str, date] = field(default_factory=dict)  # ended unanswered on that day
    fee_payment_due_on: date | None = None  # while a fee notice is unpaid; None until its receipt
    fee_notice_received_on: date | None = None  # the applicant received the outstanding fee notice
    notices_awaiting_receipt: list[str] = field(default_factory=list)  # "correction", "fee"
    applicant_explanation: list[str] = field(default_factory=list)  # how the applicant's deadlines run
    abandoned: str | None = None  # "no_correction" or "fee_unpaid" as of today
    extension_days: int = 0
    later_reply_on: date | None = None  # Art. 35 later reply date, when set
    provisional: bool = False
    steps: list[str] = field(default_factory=list)  # one sentence per event, with its legal basis
    due_explanation: str = ""  # how reply_due_on (or the days remaining) was computed


# --- counting with pauses ---------------------------------------------------------------------


@dataclass
class _Pause:
    """Excludes the days ``start`` to ``end``, both included (the one convention for pauses)."""

    reason: str
    start: date
    end: date | None = None  # None while open


@dataclass(frozen=True)
class _Walk:
    """The end of ``n`` counted working days after ``start`` with pauses, or where an open pause
    stopped the count; the pauses that fell inside, with the working days each took."""

    due: date | None
    remaining: int | None
    counted: int
    stopped_at: date | None
    spans: tuple[tuple[date, date | None, tuple[str, ...], int], ...]
    missing: frozenset[int]


def _merge(pauses: list[_Pause], start: date) -> list[tuple[date, date | None, list[str]]]:
    """The union of the pauses after ``start`` as disjoint spans (s, e], e None when open: a
    pause excluding the days S to E (both included) is the span (S - 1 day, E]."""
    clipped = sorted(
        (
            (max(p.start - timedelta(days=1), start), p.end, p.reason)
            for p in pauses
            if p.end is None or p.end > start
        ),
        key=lambda span: span[0],
    )
    merged: list[tuple[date, date | None, list[str]]] = []
    for s, e, reason in clipped:
        if merged and (merged[-1][1] is None or s <= merged[-1][1]):
            last_s, last_e, reasons = merged[-1]
            end = None if last_e is None or e is None else max(last_e, e)
            if reason not in reasons:
                reasons.append(reason)
            merged[-1] = (last_s, end, reasons)
        else:
            merged.append((s, e, [reason]))
    return merged


def _missing(first_excluded: date, last: date, calendar: HolidayCalendar) -> frozenset[int]:
    """Years whose notice decides a day in (first_excluded, last] and is not loaded."""
    if last <= first_excluded:
        return frozenset()
    years = set(range((first_excluded + timedelta(days=1)).year, last.year + 1)) | set(notice_years(last))
    return frozenset(years - calendar.years)


def _walk(start: date, n: int, pauses: list[_Pause], calendar: HolidayCalendar) -> _Walk:
    cursor, remaining, counted, spans = start, n, 0, []
    for s, e, reasons in _merge(pauses, start):
        before = count_workdays(cursor, s, calendar)
        if before >= remaining:
            break
        remaining -= before
        counted += before
        if e is None:
            spans.append((s, None, tuple(reasons), 0))
            return _Walk(None, remaining, counted, s, tuple(spans), _missing(start, s, calendar))
        spans.append((s, e, tuple(reasons), count_workdays(s, e, calendar)))
        cursor = e
    due = add_workdays(cursor, remaining, calendar).date
    return _Walk(due, None, n, None, tuple(spans), _missing(start, due, calendar))


# --- words ------------------------------------------------------------------------------------


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _cn_weekday(day: date) -> str:
    return f"{_cn(day)}（{_WEEKDAYS[day.weekday()]}）"


def _consultation_reason(ref: str) -> str:
    return _("征求意见（%(ref)s）") % {"ref": ref} if ref else _("征求意见")


# --- extensions -------------------------------------------------------------------------------


def _extension_refusal(
    *,
    received_on: date | None,
    awaiting_correction: bool,
    later_reply_on: date | None,
    extension_days: int,
    original_due_on: date | None,
    days: int,
    on: date,
    rules: ClockRules,
) -> str | None:
    if received_on is None:
        return _("尚未收到申请，不能延长答复期限。")
    if on < received_on:
        return _("延期日期早于收到申请的日期。")
    if awaiting_correction:
        return _("正在等待申请人补正，答复期限自收到补正申请之日起重新计算，暂不能延长。")
    if later_reply_on is not None:
        return _("已依《条例》第三十五条确定于%(until)s前答复，不再延长答复期限。") % {
            "until": _cn(later_reply_on)
        }
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        return _("延长的期限应为至少1个工作日。")
    if extension_days + days > rules.max_extension_days:
        return _(
            "延长的期限累计不得超过%(max)d个工作日（已延长%(done)d个工作日）（《条例》第三十三条第二款）。"
        ) % {
            "max": rules.max_extension_days,
            "done": extension_days,
        }
    if original_due_on is not None and on > original_due_on:
        return _("延期应在原答复期限%(due)s届满前告知申请人（《条例》第三十三条第二款）。") % {
            "due": _cn(original_due_on)
        }
    return None


def extension_allowed(
    state: ClockState, days: int, on: date, rules: ClockRules = DEFAULT_RULES
) -> str | None:
    """None when ``days`` more working days may be added on ``on``; otherwise the reason, in
    Chinese: no running period, more than ``max_extension_days`` in total, or after the
    original deadline."""
    return _extension_refusal(
        received_on=state.received_on,
        awaiting_correction=state.awaiting_correction,
        later_reply_on=state.later_reply_on,
        extension_days=state.extension_days,
        original_due_on=state.original_due_on,
        days=days,
        on=on,
        rules=rules,
    )


# --- the engine -------------------------------------------------------------------------------


class _Clock:
    """The clock as the events so far have left it."""

    def __init__(self, calendar: HolidayCalendar, rules: ClockRules):
        self.calendar, self.rules = calendar, rules
        self.received_on: date | None = None
        self.period_start: date | None = None
        self.correction_notice_due: WorkdayResult | None = None
        self.correction_requested = False
        self.correction_awaited = False  # a correction notice is out and no correction came yet
        self.correction_sent_on: date | None = None
        self.correction_days = 0
        self.correction_late = False  # sent after the 7-day window: the reply period runs on
        self.correction_received_notice_on: date | None = None
        self.correction_due: WorkdayResult | None = (
            None  # while awaited and once the notice's receipt is known
        )
        self.pauses: list[_Pause] = []
        self.consultations: dict[str, tuple[_Pause, WorkdayResult]] = {}
        self.lapsed: dict[str, tuple[_Pause, date]] = {}  # consultations whose answer period ran out
        self.lapsed_recorded: set[str] = set()  # ... and whose result was recorded later
        self.fee_pause: _Pause | None = None
        self.fee_sent_on: date | None = None  # while a fee notice is unpaid
        self.fee_received_on: date | None = None
        self.fee_due: WorkdayResult | None = None  # while unpaid and once the notice's receipt is known
        self.extension_days = 0
        self.later_reply_on: date | None = None
        self.steps: list[str] = []

    # the deadline of the running period, counting ``extra`` days beyond the statutory ones
    def walk(self, extra: int) -> _Walk | None:
        if self.period_start is None:
            return None
        return _walk(self.period_start, self.rules.reply_days + extra, self.pauses, self.calendar)

    def apply(self, event: ClockEvent) -> None:
        kind, on = event.kind, event.on
        if self.received_on is None and kind != EventKind.RECEIVED:
            raise ClockError(
                _("%(on)s的事件“%(kind)s”早于收到申请：请先记录收到申请的日期。")
                % {"on": _cn(on), "kind": kind}
            )
        self.lapse(on)
        getattr(self, f"_on_{kind.value}")(event)

    def lapse(self, on: date) -> None:
        """End the consultations whose answer period ran out before ``on``: the pause ends on
        the last day of the answer period, and counting resumes the day after."""
        for ref, (pause, due) in list(self.consultations.items()):
            if on > due.date:
                del self.consultations[ref]
                pause.end = due.date
                self.lapsed[ref] = (pause, due.date)
                self.steps.append(
                    _(
                        "%(due)s%(what)s的答复期限届满，未收到意见，征求意见自行结束，"
                        "答复期限自次日起恢复计算（《条例》第三十二条、第三十三条第三款）。"
                    )
                    % {"due": _cn(due.date), "what": pause.reason}
                )

    def _on_received(self, event: ClockEvent) -> None:
        if self.received_on is not None:
            raise ClockError(
                _("收到申请的日期已经记录为%(on)s，不能重复记录。") % {"on": _cn(self.received_on)}
            )
        self.received_on = self.period_start = event.on
        self.correction_notice_due = add_workdays(event.on, self.rules.correction_notice_days, self.calendar)
        self.steps.append(
            _(
                "%(on)s收到申请（《条例》第三十一条），答复期限自次日起计算%(n)d个工作日（《条例》第三十三条第二款）；"
                "需要补正的，应于%(due)s前一次性告知申请人（《条例》第三十条）。"
            )
            % {
                "on": _cn(event.on),
                "n": self.rules.reply_days,
                "due": _cn(self.correction_notice_due.date),
            }
        )

    def _on_correction_requested(self, event: ClockEvent) -> None:
        if self.correction_requested:
            raise ClockError(_("补正只能一次性告知，本申请已经告知过补正（《条例》第三十条）。"))
        notice_due = self.correction_notice_due
        late = notice_due is not None and event.on > notice_due.date
        self.correction_requested = self.correction_awaited = True
        self.correction_notice_due = None
        self.correction_sent_on, self.correction_days = event.on, event.days
        self.correction_late = late
        step = _(
            "%(on)s发出补正告知，补正期限为申请人收到告知之日起%(days)d个工作日，"
            "逾期无正当理由不补正的视为放弃申请（《条例》第三十条）；"
        ) % {"on": _cn(event.on), "days": event.days}
        if late and notice_due is not None:
            step += _(
                "告知晚于收到申请后%(n)d个工作日的期限（%(due)s），答复期限不停止、不重新计算，"
                "仍按原期限答复（《条例》第三十条）。"
            ) % {"n": self.rules.correction_notice_days, "due": _cn(notice_due.date)}
        else:
            self.period_start = None
            step += _("答复期限停止计算，自收到补正申请之日起重新计算。")
        self.steps.append(step)

    def _on_correction_notice_received(self, event: ClockEvent) -> None:
        if not self.correction_awaited or self.correction_sent_on is None:
            raise ClockError(
                _("%(on)s登记补正告知的回执，但此前没有待补正的补正告知（回执日期不能早于发出日期）。")
                % {"on": _cn(event.on)}
            )
        if self.correction_received_notice_on is not None:
            raise ClockError(
                _("补正告知的回执已经登记为%(on)s，不能重复登记。")
                % {"on": _cn(self.correction_received_notice_on)}
            )
        if event.on < self.correction_sent_on:
            raise ClockError(
                _("回执日期%(on)s早于补正告知的发出日期%(sent)s。")
                % {"on": _cn(event.on), "sent": _cn(self.correction_sent_on)}
            )
        self.correction_received_notice_on = event.on
        self.correction_due = add_workdays(event.on, self.correction_days, self.calendar)
        self.steps.append(
            _(
                "%(on)s申请人收到补正告知，补正期限自次日起计算%(days)d个工作日，至%(due)s止（《条例》第三十条）。"
            )
            % {"on": _cn(event.on), "days": self.correction_days, "due": _cn(self.correction_due.date)}
        )

    def _on_correction_received(self, event: ClockEvent) -> None:
        if not self.correction_awaited:
            raise ClockError(_("%(on)s记录收到补正，但此前没有告知补正。") % {"on": _cn(event.on)})
        due = self.correction_due.date if self.correction_due is not None else None
        late = due is not None and event.on > due
        self.correction_awaited = False
        self.correction_due = None
        if self.correction_late:
            step = _(
                "%(on)s收到补正后的申请；补正告知晚于法定期限，答复期限不重新计算（《条例》第三十条）。"
            ) % {"on": _cn(event.on)}
        else:
            self.period_start = event.on
            self.extension_days = 0
            self.later_reply_on = None
            self.pauses = [p for p in self.pauses if p.end is None or p.end > event.on]
            step = _(
                "%(on)s收到补正后的申请，答复期限自次日起重新计算%(n)d个工作日（《条例》第三十条）。"
            ) % {
                "on": _cn(event.on),
                "n": self.rules.reply_days,
            }
        if late and due is not None:
            step += _("补正晚于补正期限（%(due)s），已按有正当理由受理。") % {"due": _cn(due)}
        self.steps.append(step)

    def _on_consultation_started(self, event: ClockEvent) -> None:
        if event.ref in self.consultations or event.ref in self.lapsed:
            raise ClockError(_("征求意见“%(ref)s”已经开始，不能重复开始。") % {"ref": event.ref})
        pause = _Pause(_consultation_reason(event.ref), event.on)
        due = add_workdays(event.on, self.rules.consultation_days, self.calendar)
        self.consultations[event.ref] = (pause, due)
        self.pauses.append(pause)
        self.steps.append(
            _(
                "%(on)s书面%(what)s，被征求意见方应自收到之日起%(n)d个工作日内提出意见（未登记收到日期的，"
                "按发出当日收到计算，至%(due)s止）；自发出之日起至收到意见之日止不计算在答复期限内，"
                "期限届满未提出意见的，自期限届满次日起恢复计算"
                "（《条例》第三十二条、第三十四条、第三十三条第三款）。"
            )
            % {
                "on": _cn(event.on),
                "what": pause.reason,
                "n": self.rules.consultation_days,
                "due": _cn(due.date),
            }
        )

    def _on_consultation_delivered(self, event: ClockEvent) -> None:
        if event.ref not in self.consultations:
            raise ClockError(
                _("征求意见“%(ref)s”没有开始或已经结束，不能登记送达（送达日期不能早于发出日期）。")
                % {"ref": event.ref}
            )
        pause, _due = self.consultations[event.ref]
        if event.on < pause.start:
            raise ClockError(
                _("送达日期%(on)s早于征求意见的发出日期%(sent)s。")
                % {"on": _cn(event.on), "sent": _cn(pause.start)}
            )
        due = add_workdays(event.on, self.rules.consultation_days, self.calendar)
        self.consultations[event.ref] = (pause, due)
        self.steps.append(
            _("%(on)s被征求意见方收到%(what)s，应于%(due)s前提出意见（《条例》第三十二条、第三十四条）。")
            % {"on": _cn(event.on), "what": pause.reason, "due": _cn(due.date)}
        )

    def _on_consultation_ended(self, event: ClockEvent) -> None:
        if event.ref in self.lapsed and event.ref not in self.lapsed_recorded:
            self.lapsed_recorded.add(event.ref)
            pause, due = self.lapsed[event.ref]
            self.steps.append(
                _(
                    "%(on)s登记%(what)s的结果；答复期限已于%(due)s届满，此后的时间计入答复期限"
                    "（《条例》第三十三条第三款）。"
                )
                % {"on": _cn(event.on), "what": pause.reason, "due": _cn(due)}
            )
            return
        if event.ref not in self.consultations:
            raise ClockError(_("征求意见“%(ref)s”没有开始或已经结束，不能记录结束。") % {"ref": event.ref})
        pause, _due = self.consultations.pop(event.ref)
        pause.end = event.on
        self.steps.append(
            _("%(on)s%(what)s结束，答复期限自次日起恢复计算（《条例》第三十三条第三款）。")
            % {"on": _cn(event.on), "what": pause.reason}
        )

    def _on_fee_notice_sent(self, event: ClockEvent) -> None:
        if self.fee_sent_on is not None:
            raise ClockError(_("已有尚未缴清的收费通知，不能再发出收费通知。"))
        self.fee_sent_on, self.fee_received_on, self.fee_due = event.on, None, None
        step = _(
            "%(on)s发出收费通知，申请人应自收到通知次日起%(n)d个工作日内缴纳信息处理费，逾期未缴纳的视为放弃申请"
            "（《条例》第四十二条、%(measures)s）；"
        ) % {"on": _cn(event.on), "n": self.rules.fee_payment_days, "measures": FEE_MEASURES}
        if self.rules.fee_pauses_clock:
            self.fee_pause = _Pause(_("等待缴纳信息处理费"), event.on)
            self.pauses.append(self.fee_pause)
            step += _("自发出收费通知之日起至缴费完成之日止（首尾两日均不计入），答复期限暂停计算。")
        else:
            step += _("按本机关规则，收费期间答复期限照常计算。")
        self.steps.append(step)

    def _on_fee_notice_received(self, event: ClockEvent) -> None:
        if self.fee_sent_on is None:
            raise ClockError(
                _("%(on)s登记收费通知的回执，但此前没有待缴费的收费通知（回执日期不能早于发出日期）。")
                % {"on": _cn(event.on)}
            )
        if self.fee_received_on is not None:
            raise ClockError(
                _("收费通知的回执已经登记为%(on)s，不能重复登记。") % {"on": _cn(self.fee_received_on)}
            )
        if event.on < self.fee_sent_on:
            raise ClockError(
                _("回执日期%(on)s早于收费通知的发出日期%(sent)s。")
                % {"on": _cn(event.on), "sent": _cn(self.fee_sent_on)}
            )
        self.fee_received_on = event.on
        self.fee_due = add_workdays(event.on, self.rules.fee_payment_days, self.calendar)
        self.steps.append(
            _("%(on)s申请人收到收费通知，缴费期限自次日起计算%(n)d个工作日，至%(due)s止（%(measures)s）。")
            % {
                "on": _cn(event.on),
                "n": self.rules.fee_payment_days,
                "due": _cn(self.fee_due.date),
                "measures": FEE_MEASURES,
            }
        )

    def _resume_fee(self, event: ClockEvent, what: str) -> None:
        if self.fee_sent_on is None:
            raise ClockError(
                _("%(on)s记录%(what)s，但没有待缴费的收费通知。") % {"on": _cn(event.on), "what": what}
            )
        due = self.fee_due.date if self.fee_due is not None else None
        late = due is not None and event.on > due
        self.fee_sent_on = self.fee_received_on = self.fee_due = None
        step = _("%(on)s%(what)s") % {"on": _cn(event.on), "what": what}
        if self.fee_pause is not None:
            self.fee_pause.end = event.on
            self.fee_pause = None
            step += _("，答复期限自次日起恢复计算")
        step += _("（%(measures)s）。") % {"measures": FEE_MEASURES}
        if late and due is not None:
            step += _("缴费晚于缴费期限（%(due)s）。") % {"due": _cn(due)}
        self.steps.append(step)

    def _on_fee_paid(self, event: ClockEvent) -> None:
        self._resume_fee(event, _("申请人缴清信息处理费"))

    def _on_fee_waived(self, event: ClockEvent) -> None:
        self._resume_fee(event, _("经批准减免信息处理费"))

    def _on_extended(self, event: ClockEvent) -> None:
        original = self.walk(0)
        refusal = _extension_refusal(
            received_on=self.received_on,
            awaiting_correction=self.period_start is None,
            later_reply_on=self.later_reply_on,
            extension_days=self.extension_days,
            original_due_on=original.due if original else None,
            days=event.days,
            on=event.on,
            rules=self.rules,
        )
        if refusal:
            raise ClockError(refusal)
        self.extension_days += event.days
        self.steps.append(
            _(
                "%(on)s经政府信息公开工作机构负责人同意，延长答复期限%(days)d个工作日（累计延长%(total)d个工作日），"
                "并书面告知申请人（《条例》第三十三条第二款）。"
            )
            % {"on": _cn(event.on), "days": event.days, "total": self.extension_days}
        )

    def _on_excessive_reasons_requested(self, event: ClockEvent) -> None:
        self.steps.append(
            _(
                "%(on)s因申请的数量、频次明显超过合理范围，要求申请人说明理由；答复期限照常计算（《条例》第三十五条）。"
            )
            % {"on": _cn(event.on)}
        )

    def _on_excessive_later_date(self, event: ClockEvent) -> None:
        until = event.until
        assert until is not None  # checked with the fields
        if self.period_start is None:
            raise ClockError(_("正在等待申请人补正，不能确定延迟答复的期限。"))
        if until <= event.on:
            raise ClockError(
                _("延迟答复的期限%(until)s应晚于告知日期%(on)s。")
                % {"until": _cn(until), "on": _cn(event.on)}
            )
        current = self.walk(self.extension_days)
        if current is not None and current.due is not None and until <= current.due:
            raise ClockError(
                _("延迟答复的期限%(until)s应晚于现有答复期限%(due)s（《条例》第三十五条）。")
                % {"until": _cn(until), "due": _cn(current.due)}
            )
        self.later_reply_on = until
        self.steps.append(
            _(
                "%(on)s认为申请理由合理，但无法在法定期限内答复，确定于%(until)s前答复并告知申请人（《条例》第三十五条）。"
            )
            % {"on": _cn(event.on), "until": _cn(until)}
        )


def _check_fields(event: ClockEvent, today: date) -> ClockEvent:
    try:
        kind = EventKind(event.kind)
    except ValueError:
        raise ClockError(_("未知的计时事件：%(kind)r。") % {"kind": event.kind}) from None
    if isinstance(event.on, datetime) or not isinstance(event.on, date):
        raise ClockError(_("计时事件的日期应为日期（不含时间）：%(on)r。") % {"on": event.on})
    if event.on > today:
        raise ClockError(
            _("计时事件的日期%(on)s晚于今天（%(today)s）。") % {"on": _cn(event.on), "today": _cn(today)}
        )
    days = event.days
    if isinstance(days, bool) or not isinstance(days, int):
        raise ClockError(_("工作日数应为整数：%(days)r。") % {"days": days})
    if kind in _DAYS_REQUIRED and days < 1:
        raise ClockError(_("事件“%(kind)s”需要至少1个工作日的期限。") % {"kind": kind})
    if kind not in _DAYS_REQUIRED and days != 0:
        raise ClockError(_("事件“%(kind)s”不使用工作日数。") % {"kind": kind})
    if kind == EventKind.EXCESSIVE_LATER_DATE:
        if isinstance(event.until, datetime) or not isinstance(event.until, date):
            raise ClockError(_("确定延迟答复期限时应填写答复日期。"))
    elif event.until is not None:
        raise ClockError(_("事件“%(kind)s”不使用答复日期。") % {"kind": kind})
    if kind not in _REF_USED and event.ref:
        raise ClockError(_("事件“%(kind)s”不使用征求意见编号。") % {"kind": kind})
    return event if event.kind is kind else ClockEvent(kind, event.on, event.days, event.ref, event.until)


def compute_clock(
    events: list[ClockEvent],
    calendar: HolidayCalendar,
    *,
    today: date,
    rules: ClockRules = DEFAULT_RULES,
) -> ClockState:
    """The clock after ``events`` (any order; sorted by date, stably), as of ``today``."""
    checked = [_check_fields(event, today) for event in events]
    clock = _Clock(calendar, rules)
    for event in sorted(checked, key=lambda event: event.on):
        clock.apply(event)
    if clock.received_on is not None:
        clock.lapse(today)
    return _state(clock, today)


def _state(clock: _Clock, today: date) -> ClockState:
    state = ClockState(received_on=clock.received_on, steps=clock.steps)
    if clock.received_on is None:
        return state
    missing: set[int] = set()
    rules, calendar = clock.rules, clock.calendar

    def deadline(result: WorkdayResult | None) -> date | None:
        if result is None:
            return None
        missing.update(result.missing_years)
        return result.date

    state.period_start = clock.period_start
    state.awaiting_correction = clock.period_start is None
    state.correction_notice_due_on = deadline(clock.correction_notice_due)
    state.correction_due_on = deadline(clock.correction_due)
    state.correction_notice_received_on = (
        clock.correction_received_notice_on if clock.correction_awaited else None
    )
    state.correction_notice_late = clock.correction_late
    state.correction_outstanding = clock.correction_awaited
    state.consultation_answers_due = {
        ref: deadline(due) for ref, (_pause, due) in clock.consultations.items()
    }
    state.consultations_lapsed = {ref: due for ref, (_pause, due) in clock.lapsed.items()}
    state.fee_payment_due_on = deadline(clock.fee_due)
    state.fee_notice_received_on = clock.fee_received_on
    state.notices_awaiting_receipt = [
        name
        for name, waiting in (
            ("correction", clock.correction_awaited and clock.correction_received_notice_on is None),
            ("fee", clock.fee_sent_on is not None and clock.fee_received_on is None),
        )
        if waiting
    ]
    state.applicant_explanation = _applicant_explanation(clock)
    state.extension_days = clock.extension_days
    state.later_reply_on = clock.later_reply_on

    reasons = [p.reason for p in sorted(clock.pauses, key=lambda p: p.start) if p.end is None]
    if state.awaiting_correction:
        reasons.insert(0, _("等待申请人补正"))
    state.paused = bool(reasons)
    state.pause_reasons = reasons

    if state.awaiting_correction:
        state.due_explanation = _(
            "正在等待申请人补正（%(limit)s），答复期限自收到补正申请之日起重新计算（《条例》第三十条）。"
        ) % {
            "limit": _("补正期限至%(due)s") % {"due": _cn(state.correction_due_on)}
            if state.correction_due_on
            else _("补正告知的回执尚未登记，补正期限待定")
        }
    else:
        original = clock.walk(0)
        current = clock.walk(clock.extension_days)
        assert original is not None and current is not None
        missing |= original.missing | current.missing
        state.original_due_on = original.due
        if clock.later_reply_on is not None:
            state.reply_due_on = clock.later_reply_on
            missing |= _missing(clock.period_start, clock.later_reply_on, calendar)
            state.due_explanation = _("依《条例》第三十五条确定于%(until)s前答复。") % {
                "until": _cn(clock.later_reply_on)
            }
        else:
            state.reply_due_on = current.due
            state.days_remaining_when_paused = current.remaining
            state.due_explanation = _explain(
                clock.period_start, current, clock.extension_days, rules, calendar
            )

    state.abandoned = _abandoned(state, today)
    if state.abandoned == "no_correction":
        state.due_explanation += _(
            "申请人未在补正期限（%(due)s）内补正，视为放弃申请（《条例》第三十条）。"
        ) % {"due": _cn(state.correction_due_on)}
    elif state.abandoned == "fee_unpaid":
        state.due_explanation += _(
            "申请人未在缴费期限（%(due)s）内缴纳信息处理费，视为放弃申请（%(measures)s）。"
        ) % {
            "due": _cn(state.fee_payment_due_on),
            "measures": FEE_MEASURES,
        }
    state.provisional = bool(missing)
    return state


def _applicant_explanation(clock: _Clock) -> list[str]:
    """How each period the applicant keeps runs: from the applicant's receipt of the notice."""
    lines = []
    if clock.correction_awaited and clock.correction_sent_on is not None:
        if clock.correction_due is None:
            lines.append(
                _(
                    "补正告知已于%(sent)s发出，尚未登记申请人收到的日期：补正期限自申请人收到告知之日起计算"
                    "%(days)d个工作日，登记前无法确定，申请不会因逾期未补正而终止（《条例》第三十条）。"
                )
                % {"sent": _cn(clock.correction_sent_on), "days": clock.correction_days}
            )
        else:
            lines.append(
                _("补正期限：申请人于%(on)s收到补正告知，自次日起计算%(days)d个工作日。%(how)s")
                % {
                    "on": _cn(clock.correction_received_notice_on),
                    "days": clock.correction_days,
                    "how": clock.correction_due.explanation,
                }
            )
    if clock.fee_sent_on is not None:
        if clock.fee_due is None:
            lines.append(
                _(
                    "收费通知已于%(sent)s发出，尚未登记申请人收到的日期：缴费期限自申请人收到通知次日起计算"
                    "%(n)d个工作日，登记前无法确定，申请不会因逾期未缴费而终止（%(measures)s）。"
                )
                % {
                    "sent": _cn(clock.fee_sent_on),
                    "n": clock.rules.fee_payment_days,
                    "measures": FEE_MEASURES,
                }
            )
        else:
            lines.append(
                _("缴费期限：申请人于%(on)s收到收费通知，自次日起计算%(n)d个工作日。%(how)s")
                % {
                    "on": _cn(clock.fee_received_on),
                    "n": clock.rules.fee_payment_days,
                    "how": clock.fee_due.explanation,
                }
            )
    return lines


def _abandoned(state: ClockState, today: date) -> str | None:
    lapsed = [
        (due, why)
        for due, why in ((state.correction_due_on, "no_correction"), (state.fee_payment_due_on, "fee_unpaid"))
        if due is not None and today > due
    ]
    return min(lapsed)[1] if lapsed else None


def _explain(
    start: date, walk: _Walk, extension_days: int, rules: ClockRules, calendar: HolidayCalendar
) -> str:
    n = rules.reply_days + extension_days
    if walk.due is not None and not walk.spans:
        # Nothing paused: the calendar's own account says it all.
        text = add_workdays(start, n, calendar).explanation
        if extension_days:
            text = (
                _("答复期限为法定%(reply)d个工作日加延长的%(ext)d个工作日。")
                % {"reply": rules.reply_days, "ext": extension_days}
                + text
            )
        return text
    parts = [_("答复期限自%(start)s的次日起计算%(n)d个工作日") % {"start": _cn(start), "n": n}]
    if extension_days:
        parts.append(
            _("（法定%(reply)d个工作日，延长%(ext)d个工作日）")
            % {"reply": rules.reply_days, "ext": extension_days}
        )
    parts.append(_("。"))
    for s, e, reasons, workdays in walk.spans:
        what = "、".join(reasons)
        first = s + timedelta(days=1)  # the span (s, e]: its first excluded day
        if e is None:
            parts.append(
                _(
                    "自%(first)s起因%(what)s暂停计算，此前已计%(counted)d个工作日，尚余%(left)d个工作日，恢复计算后确定期限。"
                )
                % {"first": _cn(first), "what": what, "counted": walk.counted, "left": walk.remaining}
            )
        else:
            parts.append(
                _("%(first)s至%(e)s（首尾两日均含）因%(what)s暂停计算，其间%(k)d个工作日不计入。")
                % {"first": _cn(first), "e": _cn(e), "what": what, "k": workdays}
            )
    if walk.due is not None:
        total = count_workdays(start, walk.due, calendar)
        parts.append(
            _("期限届满日为%(due)s：计入的%(n)d个工作日与暂停期间的%(paused)d个工作日合计%(total)d个工作日。")
            % {"due": _cn_weekday(walk.due), "n": n, "paused": total - n, "total": total}
        )
        # The calendar's own account of the span: holidays, 调休 working days, provisional years.
        parts.append(add_workdays(start, total, calendar).explanation)
    elif walk.missing:
        years = "、".join(str(y) for y in sorted(walk.missing))
        parts.append(_("%(years)s年的节假日安排尚未载入本平台，已计的工作日数为暂定。") % {"years": years})
    return "".join(parts)
