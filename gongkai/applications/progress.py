"""What applicants may see of their own application, for the portal's progress page and the
public API alike: the state, the receipt and due dates with how they were computed, and the
reply once it has been delivered. Nothing here names the applicant (security.md: no personal
data in public pages or API responses), so the caller needs no second filter."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .clock import DEFAULT_RULES
from .letter_scan import OthersMasker
from .letter_templates import items_remedy_outcome
from .models import Application, Letter
from .personal_data import mask_values
from .remedies import Remedies, remedies_for
from .rules import RECEIPT_RULES, ApplicationState, Channel
from .services import clock_state

REPLY_KIND = "reply"


@dataclass(frozen=True)
class ReplyView:
    pk: int
    letter_no: str
    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class ItemView:
    """One item of an application answered item by item (分项答复), as the applicant sees it:
    its outcome once the application is decided."""

    no: int
    description: str
    outcome: str
    outcome_label: str


@dataclass(frozen=True)
class Progress:
    tracking_no: str
    agency_code: str
    agency_name: str
    status: str
    status_label: str
    submitted_on: date
    received_on: date | None
    reply_due_on: date | None
    due_provisional: bool
    clock_paused: bool
    pause_reasons: list[str] = field(default_factory=list)
    due_explanation: list[str] = field(default_factory=list)
    outcome: str = ""
    outcome_label: str = ""
    closed_on: date | None = None
    reply: ReplyView | None = None
    pk: int = 0
    correction: ReplyView | None = None  # the correction notice, while a correction is awaited
    # The fee notice while the fee is unpaid: for an online application this page (with the
    # e-mail saying so) is how it is delivered (services.notice_goes_online).
    fee_notice: ReplyView | None = None
    # The periods the applicant keeps (correction, payment), which run from the day the
    # applicant received the notice: (what, the deadline or None while the receipt is not
    # recorded), with how each is computed in ``applicant_explanation``.
    applicant_deadlines: list[tuple[str, date | None]] = field(default_factory=list)
    applicant_explanation: list[str] = field(default_factory=list)
    remedies: Remedies | None = (
        None  # once the reply reached the applicant: what they may do, and who hears it
    )
    items: list[ItemView] = field(default_factory=list)  # 分项答复: [] when not split


def applicant_reply_letter(application: Application) -> Letter | None:
    """The reply letter as the applicant received it: current (not superseded) and delivered.
    Notices and drafts stay with the office until delivery closes the application."""
    if application.state != ApplicationState.CLOSED:
        return None
    return (
        Letter.objects.filter(
            application=application, kind=REPLY_KIND, superseded_by__isnull=True, deliveries__isnull=False
        )
        .order_by("-created_at", "-id")
        .first()
    )


def applicant_application(*, pk: int, application_pks: list[int]) -> Application | None:
    """An application whose query code was entered in this session, or None."""
    if pk not in list(application_pks):
        return None
    return Application.objects.select_related("agency").filter(pk=pk).first()


def applicant_letter(*, letter_pk: int, application_pks: list[int]) -> Letter | None:
    """A reply letter, if it belongs to one of ``application_pks`` (those whose query code was
    entered) and has been delivered; None otherwise, whichever part was wrong."""
    letter = (
        Letter.objects.filter(pk=letter_pk, application_id__in=list(application_pks))
        .select_related("application")
        .first()
    )
    if letter is None or applicant_reply_letter(letter.application) != letter:
        return None
    return letter


def _public_paragraphs(letter: Letter, application: Application) -> list[str]:
    # The letter addresses the applicant by name and may repeat where it was sent; the copy
    # shown on the portal and in the API says "申请人" and masks the rest, so neither ever
    # carries who asked or how to reach them.
    masks = [(application.name, _("申请人")), (application.contact_name, _("联系人"))]
    masks += [
        (value, "***")
        for value in (
            application.id_number,
            application.org_code,
            application.phone,
            application.email,
            application.address,
        )
    ]
    # Whitespace-tolerant: "张  三" typed with two spaces, a tab or a non-breaking space is
    # still found where the letter writes "张 三" or "张三" (personal_data.value_pattern).
    # Anyone else's data the letter carries (kept by a clerk's confirmation, or written before
    # letters were scanned) is masked too (issue 17 item 6).
    others = OthersMasker(application)
    return [others(mask_values(str(paragraph), masks)) for paragraph in letter.paragraphs]


def _items(application: Application) -> list[ItemView]:
    """The items, their descriptions masked as the letters are; outcomes only once decided
    (before, they are the office's working notes)."""
    decided = bool(application.outcome)
    masks = [(application.name, _("申请人")), (application.contact_name, _("联系人"))]
    a = application
    masks += [(value, "***") for value in (a.id_number, a.org_code, a.phone, a.email, a.address)]
    others = OthersMasker(application)
    return [
        ItemView(
            no=n,
            description=others(mask_values(item.description, masks)),
            outcome=item.outcome if decided else "",
            outcome_label=item.get_outcome_display() if decided and item.outcome else "",
        )
        for n, item in enumerate(application.items.order_by("position", "id"), start=1)
    ]


def _remedy_outcome(application: Application, items: list[ItemView]) -> str:
    """The outcome whose remedies apply: for a reply item by item, the one its items call for."""
    if items and all(i.outcome for i in items):
        return items_remedy_outcome([i.outcome for i in items])
    return application.outcome


def application_progress(application: Application, *, today: date | None = None) -> Progress:
    """The applicant's view of ``application`` as of ``today`` (default: today)."""
    clock = clock_state(application, today=today)
    explanation = list(clock.steps)
    if clock.due_explanation:
        explanation.append(clock.due_explanation)
    if application.received_on is None and application.state == ApplicationState.SUBMITTED:
        explanation.append(
            _("%(rule)s。本机关确认收到后，答复期限自次日起计算%(n)d个工作日（《条例》第三十三条）。")
            % {"rule": RECEIPT_RULES[Channel.ONLINE], "n": DEFAULT_RULES.reply_days}
        )
    letter = applicant_reply_letter(application)
    reply = (
        ReplyView(
            pk=letter.pk,
            letter_no=letter.letter_no,
            title=letter.title,
            paragraphs=_public_paragraphs(letter, application),
        )
        if letter is not None
        else None
    )
    closed = application.state == ApplicationState.CLOSED
    deadlines: list[tuple[str, date | None]] = []
    if not closed and clock.correction_outstanding:
        deadlines.append((_("补正期限"), clock.correction_due_on))
    if not closed and (clock.fee_payment_due_on or "fee" in clock.notices_awaiting_receipt):
        deadlines.append((_("缴费期限"), clock.fee_payment_due_on))
    correction = None
    if not closed and clock.correction_outstanding:
        notice = application.letters.filter(kind="correction").order_by("-created_at", "-id").first()
        if notice is not None:
            correction = ReplyView(
                pk=notice.pk, letter_no=notice.letter_no, title=notice.title,
                paragraphs=_public_paragraphs(notice, application),
            )  # fmt: skip
    fee_notice = None
    if not closed and (clock.fee_payment_due_on or "fee" in clock.notices_awaiting_receipt):
        notice = application.letters.filter(kind="fee_notice").order_by("-created_at", "-id").first()
        if notice is not None:
            fee_notice = ReplyView(
                pk=notice.pk, letter_no=notice.letter_no, title=notice.title,
                paragraphs=_public_paragraphs(notice, application),
            )  # fmt: skip
    items = _items(application)
    return Progress(
        pk=application.pk,
        items=items,
        correction=correction,
        fee_notice=fee_notice,
        tracking_no=application.tracking_no,
        agency_code=application.agency.code,
        agency_name=application.agency.name,
        status=application.state,
        status_label=application.get_state_display(),
        submitted_on=timezone.localdate(application.submitted_at),
        received_on=application.received_on,
        reply_due_on=clock.reply_due_on,
        due_provisional=bool(clock.provisional),
        clock_paused=bool(clock.paused) and not closed,
        pause_reasons=[] if closed else list(clock.pause_reasons),
        due_explanation=explanation,
        outcome=application.outcome,
        outcome_label=application.get_outcome_display() if application.outcome else "",
        closed_on=application.closed_on,
        reply=reply,
        remedies=remedies_for(application.agency, _remedy_outcome(application, items))
        if reply and application.outcome
        else None,
        applicant_deadlines=deadlines,
        applicant_explanation=[] if closed else list(clock.applicant_explanation),
    )
