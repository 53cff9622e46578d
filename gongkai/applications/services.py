"""State changes of disclosure on application: one entry point each (STYLE.md, habit 3).

Each service checks the permission and the state, writes, records the clock event with its
legal basis, recomputes the stored due date (for sorting; "overdue" is derived on read) and
audits, in one transaction. Letters are frozen when created: what was sent can be shown again.
"""

import hashlib
import secrets
import smtplib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongkai.agencies.models import Agency, DisclosureOffice, Role, StaffRole
from gongkai.catalogue.uploads import InspectedUpload, upload_inspect
from gongkai.core.audit import audit_record
from gongkai.core.calendar_store import calendar_for
from gongkai.core.files.kinds import AttachmentError
from gongkai.core.query_codes import query_code_check, query_code_hash, query_code_miss

from . import clock as clock_engine
from . import fees as fee_rules
from .models import (
    Application,
    ApplicationFile,
    ClockEventRecord,
    Consultation,
    DeliveryRecord,
    FeeNotice,
    Letter,
    LetterSequence,
    LetterTemplate,
    RemedyCase,
)
from .rules import (
    ABANDONMENT_OUTCOME,
    ADVERSE,
    PERSONAL_DATA_GROUND,
    REDACTION_GROUNDS,
    ApplicationState,
    Channel,
    Delivery,
    Outcome,
    next_state,
)

QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by hand
QUERY_CODE_LENGTH = 8
# Abuse limits without any outside service (security.md): per address and per identity.
SUBMISSIONS_PER_ADDRESS_PER_HOUR = 10
SUBMISSIONS_PER_IDENTITY_PER_DAY = 20


class ApplicationError(Exception):
    """A refusal with a message for the person who asked."""


class NotPermitted(ApplicationError):
    pass


class Conflict(ApplicationError):
    pass


class RateLimited(ApplicationError):
    pass


# --- permissions ----------------------------------------------------------------------------


def _roles(user, agency: Agency) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(StaffRole.objects.filter(user=user, agency=agency).values_list("role", flat=True))


def can_handle(user, agency: Agency) -> bool:
    """Register, confirm, ask for corrections, consult, send notices, draft decisions."""
    return bool({Role.CLERK, Role.OFFICE_HEAD} & _roles(user, agency))


def can_approve(user, agency: Agency) -> bool:
    """Extensions and fee waivers need the head of the disclosure office (Art. 33, fees.md)."""
    return Role.OFFICE_HEAD in _roles(user, agency)


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotPermitted(_("您没有办理此事项的权限。"))


def _transition(application: Application, event: str) -> str:
    state = next_state(application.state, event)
    if state is None:
        raise ApplicationError(
            _("当前状态为“%(state)s”，不能进行此操作。") % {"state": application.get_state_display()}
        )
    return state


def _lock(application: Application, expected_version: int | None = None) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("该申请已被他人处理或修改，请刷新页面后查看最新状态。"))
    return locked


def _snapshot(a: Application) -> dict:
    return {
        "state": a.state,
        "received_on": a.received_on.isoformat() if a.received_on else None,
        "reply_due_on": a.reply_due_on.isoformat() if a.reply_due_on else None,
        "outcome": a.outcome,
    }


# --- the clock ------------------------------------------------------------------------------


def clock_events(application: Application) -> list:
    return [
        clock_engine.ClockEvent(
            kind=clock_engine.EventKind(e.kind), on=e.on, days=e.days, ref=e.ref, until=e.until
        )
        for e in application.clock_events.all()
    ]


def clock_state(application: Application, today: date | None = None):
    """The clock as of ``today``: due date, pauses, deadlines and the explanation step by step."""
    return clock_engine.compute_clock(
        clock_events(application), calendar_for(), today=today or timezone.localdate()
    )


def _event(application: Application, kind, on: date, *, actor, basis: str, note: str = "", **extra) -> None:
    """Record a clock event and refresh the stored due date (refused if the engine refuses)."""
    ClockEventRecord.objects.create(
        application=application, kind=str(kind), on=on, basis=basis, note=note, actor=actor, **extra
    )
    try:
        state = clock_state(application)
    except clock_engine.ClockError as exc:
        raise ApplicationError(str(exc)) from exc
    _store_clock(application, state)


def _store_clock(application: Application, state) -> None:
    """Copy what the lists sort and filter by from the clock onto the application."""
    application.reply_due_on = state.reply_due_on
    application.due_provisional = state.provisional
    application.clock_paused = state.paused
    application.notice_receipt_missing = bool(state.notices_awaiting_receipt)


def clock_refresh(*, application: Application, today: date | None = None) -> bool:
    """Bring the stored due date up to date when time alone changed the clock (a consultation
    whose answer period ran out ends by itself, regulation.md "A consultation without an
    answer"); run daily by `gongkai remind`. True when something changed (audited)."""
    with transaction.atomic():
        application = _lock(application)
        try:
            state = clock_state(application, today=today)
        except clock_engine.ClockError:
            return False
        stored = (application.reply_due_on, application.due_provisional, application.clock_paused,
                  application.notice_receipt_missing)  # fmt: skip
        _store_clock(application, state)
        if stored == (application.reply_due_on, application.due_provisional, application.clock_paused,
                      application.notice_receipt_missing):  # fmt: skip
            return False
        before = _snapshot(application) | {"reply_due_on": stored[0].isoformat() if stored[0] else None}
        _save(application, None, "clock_refresh", before)
        return True


def _save(application: Application, actor, action: str, before: dict) -> Application:
    application.version = F("version") + 1
    application.save()
    application.refresh_from_db()
    audit_record(actor=actor, action=action, obj=application, before=before, after=_snapshot(application))
    return application


# --- submission -----------------------------------------------------------------------------


@dataclass
class Submitted:
    application: Application
    query_code: str  # shown to the applicant once; only its hash is stored


def _new_tracking_no(today: date) -> str:
    return f"{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


def _new_query_code() -> str:
    return "".join(secrets.choice(QUERY_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def _fields(data: dict) -> dict:
    names = [
        "applicant_type", "name", "id_type", "id_number", "org_code", "contact_name", "phone", "email",
        "address", "postcode", "description", "doc_no", "purpose", "form", "delivery",
    ]  # fmt: skip
    return {name: data.get(name) or "" for name in names}


def _check_rate(*, client_ip: str | None, id_number: str, org_code: str = "") -> None:
    now = timezone.now()
    if client_ip and (
        Application.objects.filter(client_ip=client_ip, submitted_at__gte=now - timedelta(hours=1)).count()
        >= SUBMISSIONS_PER_ADDRESS_PER_HOUR
    ):
        raise RateLimited(_("提交过于频繁，请一小时后再试；如需大量申请，请联系政府信息公开工作机构。"))
    identity = {"id_number": id_number} if id_number else {"org_code": org_code} if org_code else None
    if identity and (
        Application.objects.filter(**identity, submitted_at__gte=now - timedelta(days=1)).count()
        >= SUBMISSIONS_PER_IDENTITY_PER_DAY
    ):
        raise RateLimited(_("同一申请人今日提交的申请已达上限，请明日再试。"))


def _new_code_and_hash() -> tuple[str, str]:
    """A query code and its keyed hash (gongkai.core.query_codes)."""
    code = _new_query_code()
    return code, query_code_hash(code)


def _create(
    *, agency: Agency, data: dict, channel: str, state: str, code_and_hash=None, **extra
) -> Submitted:
    code, code_hash = code_and_hash or _new_code_and_hash()
    for _attempt in range(5):  # a tracking number is random; a collision is retried
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    agency=agency,
                    tracking_no=_new_tracking_no(timezone.localdate()),
                    query_code_hash=code_hash,
                    channel=channel,
                    state=state,
                    **_fields(data),
                    **extra,
                )
            return Submitted(application, code)
        except IntegrityError:
            if (
                extra.get("idempotency_key")
                and Application.objects.filter(idempotency_key=extra["idempotency_key"]).exists()
            ):
                raise
    raise ApplicationError(_("系统繁忙，请稍后重试。"))


def _inspect(data, filename: str) -> InspectedUpload:
    try:
        return upload_inspect(data=data, filename=filename)
    except AttachmentError as exc:
        raise ApplicationError(str(exc)) from exc


def _store_file(application: Application, *, data, filename: str, kind: str) -> ApplicationFile:
    """Store an upload (bytes, or a file object: an upload on disk is inspected and copied where
    it lies, in chunks, never read whole into memory; catalogue/uploads.py)."""
    return _store_inspected(application, _inspect(data, filename), kind=kind)


def _store_inspected(application: Application, upload: InspectedUpload, *, kind: str) -> ApplicationFile:
    row = ApplicationFile(
        application=application,
        kind=kind,
        title=upload.original_name[:300],
        content_type=upload.kind.content_type,
        size=upload.size,
        sha256=upload.sha256,
    )
    with upload.open() as fh:
        row.file.save(f"{secrets.token_hex(16)}{upload.extension}", File(fh), save=False)
    row.save()
    return row


def _file_snapshot(row: ApplicationFile) -> dict:
    """A file as the audit trail records it: not its uploaded name, which may name the
    applicant ("张三身份证.jpg"); the audit trail outlives the retention period."""
    return {"kind": row.kind, "size": row.size, "sha256": row.sha256}


def application_submit_online(
    *, data: dict, client_ip: str | None = None, idempotency_key: str | None = None, identity_proof=None
) -> Submitted:
    """A citizen's online application (validated by ApplicationForm). It waits for the office
    to confirm receipt, which fixes the receipt date (Art. 31(3)). A retried submission with the
    same idempotency key returns the first one (a double click makes one application)."""
    code_and_hash = _new_code_and_hash()
    with transaction.atomic():
        return _submit_online(
            data=data, client_ip=client_ip, idempotency_key=idempotency_key, identity_proof=identity_proof,
            code_and_hash=code_and_hash,
        )  # fmt: skip


def _submit_online(*, data, client_ip, idempotency_key, identity_proof, code_and_hash) -> Submitted:
    if idempotency_key:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            raise ApplicationError(_("该申请已提交，申请编号：%(no)s。") % {"no": existing.tracking_no})
    _check_rate(client_ip=client_ip, id_number=data.get("id_number", ""), org_code=data.get("org_code", ""))
    submitted = _create(
        agency=data["agency"],
        data=data,
        channel=Channel.ONLINE,
        state=ApplicationState.SUBMITTED,
        client_ip=client_ip,
        idempotency_key=idempotency_key or None,
        code_and_hash=code_and_hash,
    )
    if identity_proof is not None:
        _store_file(
            submitted.application,
            data=identity_proof,
            filename=identity_proof.name,
            kind=ApplicationFile.Kind.IDENTITY_PROOF,
        )
    audit_record(
        actor=None,
        action="application_submit_online",
        obj=submitted.application,
        after=_snapshot(submitted.application),
    )
    return submitted


@transaction.atomic
def application_register(*, data: dict, channel: str, received_on: date, actor) -> Submitted:
    """Staff register an application received by post, in person, by fax or orally; the receipt
    date follows Art. 31 for the channel and starts the clock at once."""
    agency = data["agency"]
    _require(can_handle(actor, agency))
    if channel == Channel.ONLINE:
        raise ApplicationError(_("网上申请由申请人在线提交。"))
    submitted = _create(
        agency=agency, data=data, channel=channel, state=ApplicationState.RECEIVED, registered_by=actor,
        assigned_to=actor, received_on=received_on,
    )  # fmt: skip
    application = submitted.application
    _event(application, clock_engine.EventKind.RECEIVED, received_on, actor=actor, basis="《条例》第三十一条")
    _save(application, actor, "application_register", {})
    return submitted


@transaction.atomic
def application_confirm_receipt(
    *, application: Application, on: date, actor, expected_version=None
) -> Application:
    """The office confirms an online application: that date is the receipt date (Art. 31(3))."""
    application = _lock(application, expected_version)
    _require(can_handle(actor, application.agency))
    before = _snapshot(application)
    application.state = _transition(application, "confirm")
    if on < application.submitted_at.astimezone(timezone.get_current_timezone()).date():
        raise ApplicationError(_("确认日期不能早于提交日期。"))
    application.received_on = on
    application.assigned_to = application.assigned_to or actor
    _event(application, clock_engine.EventKind.RECEIVED, on, actor=actor, basis="《条例》第三十一条第三项")
    return _save(application, actor, "application_confirm_receipt", before)


def application_find(*, tracking_no: str, query_code: str) -> Application | None:
    """The applicant's own application, or None (the same answer for a wrong number or code)."""
    application = Application.objects.filter(tracking_no=tracking_no.strip()).select_related("agency").first()
    if application is None:
        query_code_miss(query_code)  # same work either way: timing says nothing
        return None
    checked = query_code_check(query_code, application.query_code_hash)
    if not checked.matches:
        return None
    if checked.upgrade:  # a hash from before the keyed HMAC: store the new form
        Application.objects.filter(pk=application.pk, query_code_hash=application.query_code_hash).update(
            query_code_hash=checked.upgrade
        )
        application.query_code_hash = checked.upgrade
    return application


# --- letters --------------------------------------------------------------------------------


def _letter_no(agency: Agency, year: int) -> str:
    LetterSequence.objects.get_or_create(agency=agency, year=year)
    LetterSequence.objects.filter(agency=agency, year=year).update(last=F("last") + 1)
    n = LetterSequence.objects.get(agency=agency, year=year).last
    prefix = agency.short_name or agency.name[:4]
    return f"{prefix}公复〔{year}〕{n}号"


def letter_context(application: Application, **extra):
    from .letters import LetterContext

    agency = application.agency
    office = DisclosureOffice.objects.filter(agency=agency).first()
    values = dict(
        agency_name=agency.name,
        agency_short=agency.short_name or agency.name,
        office_phone=getattr(office, "phone", ""),
        office_address=getattr(office, "address", ""),
        letter_no="",
        applicant_name=application.name,
        tracking_no=application.tracking_no,
        received_on=application.received_on,
        description=application.description,
        reconsideration_body=agency.reconsideration_body.strip(),
        reconsideration_address=agency.reconsideration_address.strip(),
        court=agency.court.strip(),
        court_address=agency.court_address.strip(),
        letter_date=timezone.localdate(),
    )
    values.update(extra)
    return LetterContext(**{k: v for k, v in values.items() if k in LetterContext.__dataclass_fields__})


def remedy_missing_check(agency: Agency, kind: str, outcome: str = "") -> None:
    """Refuse a letter that must name who hears the remedies (reconsideration body, court, with
    addresses) when the agency has not recorded them; the message says what to fill in and where."""
    from .letters import remedy_fields

    fields = remedy_fields(kind, outcome)
    missing = agency.remedy_missing(court="court" in fields) if fields else []
    if missing:
        raise ApplicationError(
            _(
                "本机关尚未登记%(fields)s，无法出具须告知救济途径的信函。请公开办负责人在工作台“公开指南”页面填写后再试。"
            )
            % {"fields": "、".join(missing)}
        )


# Letters meant for the consulted third party carry its name by design.
_ADDRESSED_TO_THIRD_PARTY = frozenset({"third_party_request"})
# The letters whose form lets the clerk give a reason to keep what the scan found.
_CONFIRMABLE_LETTERS = frozenset({"reply"})


def letter_scan_check(
    application: Application, kind: str, rendered, *, scan_confirm: str = "", addressees=(), public=()
) -> list:
    """Issue 17 item 6: scan a letter before it is issued. Anyone else's personal data or a
    secrecy mark stops it with the kinds and paragraphs named (never the values), unless
    ``scan_confirm`` gives the reason it may stay; returns the findings kept."""
    from .letter_scan import letter_findings, refusal_message

    findings = letter_findings(
        application, rendered.title, rendered.paragraphs, addressees=addressees, public=public
    )
    if findings and not scan_confirm.strip():
        raise ApplicationError(refusal_message(findings, confirmable=kind in _CONFIRMABLE_LETTERS))
    return findings


@transaction.atomic  # a refused letter gives its number back
def letter_create(
    *,
    application: Application,
    kind: str,
    actor,
    outcome: str = "",
    numbered: bool = True,
    scan_confirm: str = "",
    **ctx,
) -> Letter:
    """Render and freeze a letter from the agency's template (or the default). Its text is
    scanned first (``letter_scan_check``); ``scan_confirm`` is the clerk's reason for keeping
    what the scan found."""
    from . import letters

    remedy_missing_check(application.agency, kind, outcome)
    template = (
        LetterTemplate.objects.filter(agency=application.agency, kind=kind, outcome=outcome).first()
        or LetterTemplate.objects.filter(agency__isnull=True, kind=kind, outcome=outcome).first()
    )
    letter_no = _letter_no(application.agency, timezone.localdate().year) if numbered else ""
    context = letter_context(application, letter_no=letter_no, outcome=outcome, **ctx)
    try:
        rendered = letters.render_letter(kind, context, template.text if template else None)
    except letters.LetterTemplateError as exc:
        raise ApplicationError(str(exc)) from exc
    addressees = [ctx.get("third_party_name", "")] if kind in _ADDRESSED_TO_THIRD_PARTY else []
    public = [
        context.office_phone, context.office_address, context.reconsideration_body,
        context.reconsideration_address, context.court, context.court_address, context.other_agency_name,
    ]  # fmt: skip
    kept = letter_scan_check(
        application, kind, rendered, scan_confirm=scan_confirm, addressees=addressees, public=public
    )
    letter = Letter.objects.create(
        application=application,
        kind=kind,
        outcome=outcome,
        letter_no=rendered.letter_no,
        title=rendered.title,
        paragraphs=list(rendered.paragraphs),
        seal_lines=list(rendered.seal_lines),
        created_by=actor,
    )
    audit_record(
        actor=actor, action="letter_create", obj=letter, after={"kind": kind, "letter_no": letter.letter_no}
    )
    if kept:
        audit_record(
            actor=actor,
            action="letter_scan_confirm",
            obj=letter,
            after={
                "findings": [{"paragraph": f.paragraph, "kind": f.kind} for f in kept],
                "reason": scan_confirm.strip(),
            },
        )
    return letter


def letter_rendered(letter: Letter):
    from .letters import RenderedLetter

    return RenderedLetter(
        title=letter.title,
        letter_no=letter.letter_no,
        paragraphs=list(letter.paragraphs),
        seal_lines=list(letter.seal_lines),
    )


# --- correction, consultation, extension, fees -----------------------------------------------


def late_correction_allowed() -> bool:
    """The deployment's choice (settings.GONGKAI_ALLOW_LATE_CORRECTION, default off): may a
    correction notice go out after the 7-working-day window, leaving the reply period as it is?"""
    return bool(getattr(settings, "GONGKAI_ALLOW_LATE_CORRECTION", False))


def correction_lateness(application: Application, on: date) -> str:
    """Empty when a correction notice sent on ``on`` is within the Art. 30 window; otherwise
    the reason, in Chinese, for the refusal or for the warning shown before sending."""
    try:
        state = clock_state(application, today=max(on, timezone.localdate()))
    except clock_engine.ClockError:
        return ""
    due = state.correction_notice_due_on
    if due is None or on <= due:
        return ""
    text = _(
        "补正告知应在收到申请之日起7个工作日内（%(due)s前）发出（《条例》第三十条）；逾期告知补正不能使答复期限"
        "重新计算。"
    ) % {"due": f"{due.year}年{due.month}月{due.day}日"}
    if late_correction_allowed():
        return text + _("本平台允许逾期告知：发出后答复期限不停止、不重新计算，仍为%(reply)s。") % {
            "reply": f"{state.reply_due_on:%Y-%m-%d}" if state.reply_due_on else _("原期限")
        }
    return text + _("本平台不允许逾期发出补正告知，请按现有材料依法答复。")


@transaction.atomic
def correction_request(
    *, application: Application, items: list[str], days: int, actor, on: date | None = None
) -> Letter:
    """Tell the applicant once, in writing, what to correct and by when (Art. 30)."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if not [i for i in items if i.strip()]:
        raise ApplicationError(_("请写明需要补正的事项。"))
    if application.clock_events.filter(kind=clock_engine.EventKind.CORRECTION_REQUESTED).exists():
        raise ApplicationError(_("补正只能告知一次（《条例》第三十条）。"))
    on = on or timezone.localdate()
    late = correction_lateness(application, on)
    if late and not late_correction_allowed():
        raise ApplicationError(late)
    before = _snapshot(application)
    if late:  # the reply period runs on: the application stays in hand, nothing restarts
        if application.state != ApplicationState.RECEIVED:
            _transition(application, "request_correction")  # the same refusal as in time
    else:
        application.state = _transition(application, "request_correction")
    _event(
        application,
        clock_engine.EventKind.CORRECTION_REQUESTED,
        on,
        actor=actor,
        days=days,
        basis="《条例》第三十条",
    )
    letter = letter_create(
        application=application, kind="correction", actor=actor, correction_items=[i.strip() for i in items if i.strip()],
        correction_days=days, correction_late=bool(late), due_on=application.reply_due_on if late else None,
    )  # fmt: skip
    _notice_online_receipt(application, letter)
    _save(application, actor, "correction_request", before)
    return letter


def _correction_arrives(application: Application) -> None:
    """The state change when a corrected application arrives: back to being handled, or, after
    a late notice (the application never left that state), nothing to change."""
    if application.state == ApplicationState.RECEIVED:
        try:
            outstanding = clock_state(application).correction_outstanding
        except clock_engine.ClockError:
            outstanding = False
        if outstanding:
            return
    application.state = _transition(application, "receive_correction")


@transaction.atomic
def correction_receive(*, application: Application, on: date, actor, description: str = "") -> Application:
    """The corrected application arrived: the reply period starts again from this day."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    before = _snapshot(application)
    _correction_arrives(application)
    if description.strip():
        application.description = description.strip()
    _event(application, clock_engine.EventKind.CORRECTION_RECEIVED, on, actor=actor, basis="《条例》第三十条")
    return _save(application, actor, "correction_receive", before)


@transaction.atomic
def correction_submit_by_applicant(
    *, application: Application, description: str, doc_no: str = ""
) -> Application:
    """The applicant sends the corrected application online (progress page, with the query
    code): received today, the reply period starts again (Art. 30)."""
    application = _lock(application)
    if not description.strip():
        raise ApplicationError(_("请填写补正后的申请内容。"))
    before = _snapshot(application)
    _correction_arrives(application)
    application.description = description.strip()[:4000]
    if doc_no.strip():
        application.doc_no = doc_no.strip()[:300]
    _event(
        application, clock_engine.EventKind.CORRECTION_RECEIVED, timezone.localdate(), actor=None,
        basis="《条例》第三十条", note="申请人在线提交补正",
    )  # fmt: skip
    return _save(application, None, "correction_submit_by_applicant", before)


@transaction.atomic
def excessive_reasons_request(*, application: Application, actor, on: date | None = None) -> Letter:
    """Art. 35: the number or frequency clearly exceeds a reasonable range; ask for reasons."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if application.state != ApplicationState.RECEIVED:
        raise ApplicationError(_("只有办理中的申请可以要求说明理由。"))
    before = _snapshot(application)
    _event(application, clock_engine.EventKind.EXCESSIVE_REASONS_REQUESTED, on or timezone.localdate(), actor=actor,
           basis="《条例》第三十五条")  # fmt: skip
    letter = letter_create(application=application, kind="excessive_reasons", actor=actor)
    _save(application, actor, "excessive_reasons_request", before)
    return letter


@transaction.atomic
def excessive_later_date_set(
    *, application: Application, until: date, reason: str, actor, on: date | None = None
) -> Application:
    """Art. 35: the reasons given are sound, the request is large: set a reasonable later reply
    date (office head)."""
    application = _lock(application)
    _require(can_approve(actor, application.agency))
    if not application.clock_events.filter(kind=clock_engine.EventKind.EXCESSIVE_REASONS_REQUESTED).exists():
        raise ApplicationError(_("须先要求申请人说明理由（《条例》第三十五条）。"))
    if not reason.strip():
        raise ApplicationError(_("请写明确定延迟答复期限的理由。"))
    before = _snapshot(application)
    _event(application, clock_engine.EventKind.EXCESSIVE_LATER_DATE, on or timezone.localdate(), actor=actor,
           until=until, note=reason.strip(), basis="《条例》第三十五条")  # fmt: skip
    return _save(application, actor, "excessive_later_date_set", before)


@transaction.atomic
def application_file_add(
    *, application: Application, data, filename: str, kind: str, actor
) -> ApplicationFile:
    """Add the applicant's papers to the file (a scanned letter, a fax, an identity proof)."""
    _require(can_handle(actor, application.agency))
    if kind not in (ApplicationFile.Kind.IDENTITY_PROOF, ApplicationFile.Kind.OTHER):
        raise ApplicationError(_("请选择材料类型。"))
    row = _store_file(application, data=data, filename=filename, kind=kind)
    audit_record(actor=actor, action="application_file_add", obj=row, after=_file_snapshot(row))
    return row


LOOKUPS_PER_ADDRESS = 30  # progress lookups per address in LOOKUP_WINDOW_SECONDS
LOOKUP_WINDOW_SECONDS = 600


def lookup_allowed(client_ip: str | None) -> bool:
    """A throttle on progress lookups (against guessing query codes online), per
    address, in Django's cache (per process with the default local-memory cache)."""
    from django.core.cache import cache

    if not client_ip:
        return True
    key = f"gongkai:lookup:{client_ip}"
    if cache.add(key, 1, LOOKUP_WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= LOOKUPS_PER_ADDRESS
    except ValueError:  # expired between add and incr
        cache.add(key, 1, LOOKUP_WINDOW_SECONDS)
        return True


@transaction.atomic
def consultation_start(
    *, application: Application, party: str, party_name: str, on: date, actor
) -> Consultation:
    """Consult a third party (Art. 32) or another agency (Art. 34); the time does not count."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if application.state != ApplicationState.RECEIVED:
        raise ApplicationError(_("只有办理中的申请可以征求意见。"))
    consultation = Consultation.objects.create(
        application=application, party=party, party_name=party_name.strip(), started_on=on
    )
    _event(
        application, clock_engine.EventKind.CONSULTATION_STARTED, on, actor=actor, ref=str(consultation.pk),
        basis="《条例》第三十二条" if party == Consultation.Party.THIRD_PARTY else "《条例》第三十四条",
    )  # fmt: skip
    consultation.answer_due_on = _answer_due(application, consultation)
    consultation.save(update_fields=["answer_due_on"])
    if party == Consultation.Party.THIRD_PARTY:
        letter_create(
            application=application, kind="third_party_request", actor=actor, third_party_name=party_name
        )
        letter_create(
            application=application,
            kind="third_party_applicant_notice",
            actor=actor,
            third_party_name=party_name,
        )
    else:
        letter_create(
            application=application, kind="agency_consultation", actor=actor, other_agency_name=party_name
        )
    _save(application, actor, "consultation_start", _snapshot(application))
    return consultation


def _answer_due(application: Application, consultation: Consultation) -> date | None:
    """The consulted party's answer deadline, whether the period is still running or over."""
    state, ref = clock_state(application), str(consultation.pk)
    return state.consultation_answers_due.get(ref) or state.consultations_lapsed.get(ref)


@transaction.atomic
def consultation_delivered(*, consultation: Consultation, on: date, actor) -> Consultation:
    """The consulted party received the request on ``on``: its 15 working days run from then
    (Art. 32); the pause ends by itself when they run out unanswered."""
    application = _lock(consultation.application)
    _require(can_handle(actor, application.agency))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.answered_on is not None or consultation.party_received_on is not None:
        raise ApplicationError(_("该征求意见已办结或已登记送达。"))
    if on < consultation.started_on or on > timezone.localdate():
        raise ApplicationError(_("送达日期不能早于发出日期，也不能晚于今天。"))
    before = _snapshot(application)
    _event(application, clock_engine.EventKind.CONSULTATION_DELIVERED, on, actor=actor,
           ref=str(consultation.pk), basis="《条例》第三十二条")  # fmt: skip
    consultation.party_received_on = on
    consultation.answer_due_on = _answer_due(application, consultation)
    consultation.save(update_fields=["party_received_on", "answer_due_on"])
    _save(application, actor, "consultation_delivered", before)
    return consultation


@transaction.atomic
def consultation_end(
    *, consultation: Consultation, on: date, answer: str, reasons: str = "", actor
) -> Consultation:
    application = _lock(consultation.application)
    _require(can_handle(actor, application.agency))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.answered_on is not None:
        raise ApplicationError(_("该征求意见已办结。"))
    if answer not in (Consultation.Answer.CONSENT, Consultation.Answer.REFUSE, Consultation.Answer.SILENT):
        raise ApplicationError(_("请选择征求意见的结果。"))
    consultation.answered_on, consultation.answer, consultation.reasons = on, answer, reasons.strip()
    consultation.save()
    _event(
        application,
        clock_engine.EventKind.CONSULTATION_ENDED,
        on,
        actor=actor,
        ref=str(consultation.pk),
        basis="《条例》第三十二条",
    )
    _save(application, actor, "consultation_end", _snapshot(application))
    return consultation


@transaction.atomic
def extension_grant(
    *, application: Application, days: int, reason: str, actor, on: date | None = None
) -> Letter:
    """Extend the reply period with the office head's consent (Art. 33(2)); the applicant is
    told in writing before the original deadline."""
    application = _lock(application)
    _require(can_approve(actor, application.agency))
    on = on or timezone.localdate()
    try:
        state = clock_state(application)
    except clock_engine.ClockError as exc:
        raise ApplicationError(str(exc)) from exc
    refusal = clock_engine.extension_allowed(state, days, on)
    if refusal:
        raise ApplicationError(refusal)
    before = _snapshot(application)
    _event(
        application,
        clock_engine.EventKind.EXTENDED,
        on,
        actor=actor,
        days=days,
        note=reason,
        basis="《条例》第三十三条第二款",
    )
    letter = letter_create(
        application=application, kind="extension", actor=actor, extension_days=days, new_due_on=application.reply_due_on,
        reasons=reason,
    )  # fmt: skip
    _save(application, actor, "extension_grant", before)
    return letter


def same_applicant(application: Application):
    """The applications of the same applicant (fees.md): an organisation by its unified social
    credit code, a person by identity number; never by name, which may be written two ways.
    None when the application carries neither (it cannot be counted with others)."""
    if application.org_code:
        return Application.objects.filter(org_code=application.org_code)
    if application.id_number:
        return Application.objects.filter(org_code="", id_number=application.id_number)
    return None


def month_matters_before(application: Application) -> int:
    """The matters (件) of the same applicant's applications to this agency received earlier in
    the calendar month of this one, in the order (date received, registration order): an
    application registered late but received earlier still comes first. Merged duplicates are
    not counted."""
    received = application.received_on or timezone.localdate()
    same = same_applicant(application)
    if same is None:
        return 0
    earlier = (
        same.filter(agency=application.agency, received_on__year=received.year)
        .filter(received_on__month=received.month)
        .exclude(pk=application.pk)
        .exclude(state=ApplicationState.MERGED)
        .filter(Q(received_on__lt=received) | Q(received_on=received, pk__lt=application.pk))
    )
    return earlier.aggregate(total=Sum("matters"))["total"] or 0


@transaction.atomic
def fee_notice_send(*, application: Application, method: str, amount: Decimal, actor, pages: int | None = None,
                    exemption: str | None = None, on: date | None = None) -> FeeNotice:  # fmt: skip
    """Send a fee notice; the platform refuses a fee the rules do not allow (fees.md)."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if application.state != ApplicationState.RECEIVED:
        raise ApplicationError(_("只有办理中的申请可以发出收费通知。"))
    per_count = method == fee_rules.FeeMethod.PER_COUNT
    nth = month_matters_before(application) + 1 if per_count else None
    try:
        quote = fee_rules.fee_check(
            method=method, amount=amount, nth_in_month=nth, pages=pages, exemption=exemption,
            matters=application.matters if per_count else 1, matters_reason=application.matters_reason,
        )  # fmt: skip
    except fee_rules.FeeNotAllowed as exc:
        raise ApplicationError(str(exc)) from exc
    on = on or timezone.localdate()
    _event(application, clock_engine.EventKind.FEE_NOTICE_SENT, on, actor=actor, basis="国办函〔2020〕109号")
    state = clock_state(application)
    fee = FeeNotice.objects.create(
        application=application, method=method, amount=quote.amount, basis=quote.basis, nth_in_month=nth, pages=pages,
        sent_on=on, pay_by=state.fee_payment_due_on,
    )  # fmt: skip
    letter = letter_create(
        application=application, kind="fee_notice", actor=actor, fee_amount=quote.amount, fee_basis=quote.basis,
        fee_pay_by=state.fee_payment_due_on,
    )  # fmt: skip
    if _notice_online_receipt(application, letter) is not None:
        fee.refresh_from_db(fields=["pay_by"])
    _save(application, actor, "fee_notice_send", _snapshot(application))
    return fee


@transaction.atomic
def application_matters_set(
    *, application: Application, matters: int, reason: str, actor, co_applicants: str | None = None
) -> Application:
    """一事一申请 (fees.md): record that the application holds ``matters`` matters (件), with the
    reason; the per-count fee counts matters, not rows. ``co_applicants`` lists the others of a
    joint application (the lead applicant is the application's own)."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if isinstance(matters, bool) or not isinstance(matters, int) or not 1 <= matters <= 100:
        raise ApplicationError(_("件数应为1至100之间的整数。"))
    if matters > 1 and not reason.strip():
        raise ApplicationError(_("按多件计算的，须写明拆分的理由（一事一申请）。"))
    if application.fees.exists():
        raise ApplicationError(_("已发出收费通知的申请不能再更改件数。"))
    before = _snapshot(application) | {
        "matters": application.matters,
        "co_applicants": application.co_applicants,
    }
    application.matters, application.matters_reason = matters, reason.strip() if matters > 1 else ""
    if co_applicants is not None:
        application.co_applicants = co_applicants.strip()
    return _save(application, actor, "application_matters_set", before)


@transaction.atomic
def fee_pay(*, fee: FeeNotice, on: date, amount: Decimal, receipt_no: str, actor) -> FeeNotice:
    application = _lock(fee.application)
    _require(can_handle(actor, application.agency))
    fee = FeeNotice.objects.select_for_update().get(pk=fee.pk)
    if fee.paid_on or fee.waived:
        raise ApplicationError(_("该收费通知已办结。"))
    due = fee.waived_to if fee.waived_to is not None else fee.amount
    if amount != due:
        raise ApplicationError(_("缴费金额应为%(due)s元。") % {"due": due})
    if not receipt_no.strip():
        raise ApplicationError(_("请填写票据号。"))
    fee.paid_on, fee.paid_amount, fee.receipt_no = on, amount, receipt_no.strip()
    fee.save()
    application.fee_yuan = (application.fee_yuan or Decimal(0)) + amount
    _event(application, clock_engine.EventKind.FEE_PAID, on, actor=actor, basis="国办函〔2020〕109号")
    _save(application, actor, "fee_pay", _snapshot(application))
    return fee


@transaction.atomic
def fee_waive(
    *, fee: FeeNotice, reduced_to: Decimal, reason: str, actor, on: date | None = None
) -> FeeNotice:
    """Waive or reduce a fee for an applicant in difficulty (office head's approval)."""
    application = _lock(fee.application)
    _require(can_approve(actor, application.agency))
    fee = FeeNotice.objects.select_for_update().get(pk=fee.pk)
    if fee.paid_on or fee.waived:
        raise ApplicationError(_("该收费通知已办结。"))
    quote = fee_rules.FeeQuote(method=fee.method, amount=fee.amount, basis=fee.basis, lines=())
    try:
        fee_rules.waiver_apply(quote=quote, reduced_to=reduced_to, approved_by_office_head=True)
    except fee_rules.FeeNotAllowed as exc:
        raise ApplicationError(str(exc)) from exc
    fee.waived_to, fee.waiver_approved_by = reduced_to, actor
    fee.waived = reduced_to == 0
    fee.save()
    if fee.waived:
        _event(application, clock_engine.EventKind.FEE_WAIVED, on or timezone.localdate(), actor=actor, note=reason,
               basis="国办函〔2020〕109号")  # fmt: skip
    _save(application, actor, "fee_waive", _snapshot(application))
    return fee


# --- decision and delivery -------------------------------------------------------------------


@transaction.atomic
def application_decide(
    *,
    application: Application,
    outcome: str,
    actor,
    reasons: str = "",
    provided_how: str = "",
    withheld_parts: list[tuple[str, str]] | None = None,
    other_agency: str = "",
    expected_version: int | None = None,
    scan_confirm: str = "",
) -> Letter:
    """Decide with exactly one outcome and draft the reply letter (numbered, frozen). For a
    partial disclosure the withheld parts are the provided files' redactions with their grounds
    (``withheld_parts_from_files``) followed by the parts the clerk lists. ``scan_confirm``:
    the reason for keeping what the letter scan found (``letter_scan_check``)."""
    application = _lock(application, expected_version)
    _require(can_handle(actor, application.agency))
    if outcome not in Outcome.values or outcome in ABANDONMENT_OUTCOME.values():
        raise ApplicationError(_("请选择处理结果。"))
    if outcome == Outcome.PARTIALLY_DISCLOSED:
        withheld_parts = [*withheld_parts_from_files(application), *(withheld_parts or [])]
    if outcome in ADVERSE and not reasons.strip():
        raise ApplicationError(_("不予公开、部分公开、无法提供或不予处理的，须说明理由。"))
    if outcome == Outcome.PARTIALLY_DISCLOSED and not withheld_parts:
        raise ApplicationError(_("部分公开须列明不予公开的部分及理由（《条例》第三十七条）。"))
    if outcome == Outcome.UNAVAILABLE_NOT_HELD and not other_agency.strip() and "不掌握" not in reasons:
        raise ApplicationError(
            _("能够确定负责公开该信息的机关的，须告知其名称和联系方式（《条例》第三十六条第五项）。")
        )
    before = _snapshot(application)
    application.state = _transition(application, "decide")
    application.outcome = outcome
    application.decided_on = timezone.localdate()
    application.other_agency = other_agency.strip()
    letter = letter_create(
        application=application, kind="reply", actor=actor, outcome=outcome, reasons=reasons.strip(),
        provided_how=provided_how.strip(), withheld_parts=list(withheld_parts or []),
        other_agency_name=other_agency.strip(), scan_confirm=scan_confirm,
    )  # fmt: skip
    _save(application, actor, "application_decide", before)
    return letter


def withheld_parts_from_files(application: Application) -> list[tuple[str, str]]:
    """The withheld-parts list of a partial disclosure as the provided files' redactions give
    it (issue 17 item 3): per file and ground, the file, how many values and the ground; never
    a redacted value."""
    from .letter_templates import redaction_ground_text

    parts = []
    files = application.files.filter(kind=ApplicationFile.Kind.PROVIDED).order_by("created_at", "id")
    for row in files:
        counts: dict[str, int] = {}
        for ground in row.redaction_grounds or []:
            counts[ground] = counts.get(ground, 0) + 1
        for ground, n in counts.items():
            part = _("提供的文件“%(title)s”中遮盖的%(n)d处内容") % {"title": row.title, "n": n}
            parts.append((part, redaction_ground_text(ground)))
    return parts


def _redaction_needles(redact, ground: str) -> list[tuple[str, str]]:
    """``redact`` as (value, ground) pairs: a plain value takes ``ground``; every ground must be
    one of ``rules.REDACTION_GROUNDS``."""
    allowed = dict(REDACTION_GROUNDS)
    pairs = []
    for item in redact:
        value, own_ground = (item, ground) if isinstance(item, str) else item
        if not value.strip():
            continue
        if own_ground not in allowed:
            raise ApplicationError(_("请为每一处遮盖选择依据：个人信息或一项不予公开的理由。"))
        pairs.append((value.strip(), own_ground))
    return pairs


@transaction.atomic
def provided_file_add(
    *,
    application: Application,
    data,
    filename: str,
    redact: list,
    actor,
    ground: str = PERSONAL_DATA_GROUND,
) -> ApplicationFile:
    """A file provided to the applicant (bytes or an uploaded file); with values to redact
    (partial disclosure, Art. 37) the redacted version is what the applicant gets and the
    original stays internal. ``redact`` holds values, or (value, ground) pairs; a plain value
    takes ``ground`` (personal data unless said). The grounds, one a value, are stored with the
    file (never the values) and fill the reply's withheld parts. Only a redaction reads the
    file into memory (the redactor works on bytes); otherwise it is inspected and stored in
    chunks."""
    from gongkai.publishing.redaction import RedactionError, redact_file

    application = _lock(application)
    _require(can_handle(actor, application.agency))
    pairs = _redaction_needles(redact, ground)
    needles = [value for value, _ground in pairs]
    upload = _inspect(data, filename)
    if needles:
        try:
            redacted = redact_file(upload.data, upload.kind.content_type, needles)
        except RedactionError as exc:
            raise ApplicationError(str(exc)) from exc
        _store_inspected(application, upload, kind=ApplicationFile.Kind.PROVIDED_ORIGINAL)
        row = _store_file(application, data=redacted, filename=filename, kind=ApplicationFile.Kind.PROVIDED)
        row.redaction_grounds = [g for _value, g in pairs]
        row.save(update_fields=["redaction_grounds"])
    else:
        row = _store_inspected(application, upload, kind=ApplicationFile.Kind.PROVIDED)
    audit_record(
        actor=actor,
        action="provided_file_add",
        obj=row,
        after=_file_snapshot(row) | {"redacted": len(needles), "grounds": row.redaction_grounds},
    )
    return row


# The notices that start a period the applicant keeps (regulation.md, "Periods the applicant
# keeps"): letter kind -> (the clock's name for it, the event recording its receipt, basis).
NOTICE_RECEIPTS = {
    "correction": ("correction", clock_engine.EventKind.CORRECTION_NOTICE_RECEIVED, "《条例》第三十条"),
    "fee_notice": ("fee", clock_engine.EventKind.FEE_NOTICE_RECEIVED, "国办函〔2020〕109号"),
}
# What the delivery record of a notice delivered online says (shown on the workbench).
ONLINE_RECEIPT_PROOF = _lazy("网上送达：已在进度查询页面公布并发送电子邮件（系统自动登记）")
_NOTICE_SENT = {
    "correction": clock_engine.EventKind.CORRECTION_REQUESTED,
    "fee": clock_engine.EventKind.FEE_NOTICE_SENT,
}


def _awaits_receipt(application: Application, letter: Letter, notice: str) -> bool:
    """Is ``letter`` the notice whose receipt the clock still waits for (the latest one)?"""
    try:
        waiting = notice in clock_state(application).notices_awaiting_receipt
    except clock_engine.ClockError:
        return False
    latest = application.letters.filter(kind=letter.kind).order_by("-created_at", "-id").first()
    return waiting and latest is not None and latest.pk == letter.pk


def _record_notice_receipt(application, letter, notice, on: date, method: str, actor) -> None:
    name, kind, basis = notice
    sent = application.clock_events.filter(kind=_NOTICE_SENT[name]).order_by("-on", "-id").first()
    sent_on = sent.on if sent is not None else timezone.localdate(letter.created_at)
    if on < sent_on:
        raise ApplicationError(
            _("回执日期%(on)s早于%(title)s的发出日期%(sent)s。")
            % {"on": on.isoformat(), "title": letter.title, "sent": sent_on.isoformat()}
        )
    method_label = dict(DeliveryRecord._meta.get_field("method").choices).get(method, method)
    _event(application, kind, on, actor=actor, basis=basis,
           note=_("申请人收到%(title)s（%(method)s）") % {"title": letter.title, "method": method_label})  # fmt: skip
    if name == "fee":  # the payment deadline is known now: onto the fee notice's record
        due = clock_state(application).fee_payment_due_on
        open_fees = FeeNotice.objects.filter(application=application, paid_on__isnull=True, waived=False)
        open_fees.update(pay_by=due)


def notice_goes_online(application: Application) -> bool:
    """Is a notice to this applicant delivered online (regulation.md, "Periods the applicant
    keeps")? For an application made online (Art. 31(3)) whose applicant gave an e-mail address:
    the notice is on the progress page the day it is issued and an e-mail says so. Posted, faxed,
    in-person and oral applications, and online ones without an address, keep the manual record
    of the return receipt or the day handed over."""
    return application.channel == Channel.ONLINE and bool(application.email.strip())


def _notice_email(application: Application, letter: Letter) -> int:
    """Tell the applicant by e-mail that ``letter`` is on the progress page; the number of
    messages sent (Django's mail with the configured backend, as `gongkai remind` uses). The
    e-mail carries no query code and no other personal data than the address it goes to."""
    from django.core.mail import send_mail
    from django.urls import reverse

    subject = _("政府信息公开申请%(no)s：%(title)s") % {"no": application.tracking_no, "title": letter.title}
    body = "\n".join(
        [
            _("%(agency)s已就您的政府信息公开申请（申请编号%(no)s）出具%(title)s%(letter_no)s。")
            % {
                "agency": application.agency.name,
                "no": application.tracking_no,
                "title": letter.title,
                "letter_no": f"（{letter.letter_no}）" if letter.letter_no else "",
            },
            _("请在“申请进度查询”页面（%(path)s）输入申请编号和查询码查看全文。")
            % {"path": reverse("portal:progress")},
            _("本通知自今日起已在进度查询页面公布，今日即为您收到本通知之日，您的期限自次日起计算。"),
        ]
    )
    return send_mail(subject, body, None, [application.email.strip()])


def _notice_online_receipt(application: Application, letter: Letter) -> DeliveryRecord | None:
    """Deliver a correction or fee notice online and record its receipt by itself: the day it
    is on the progress page and the e-mail is sent (today, never before the sending day). If the
    e-mail cannot be sent the receipt stays unrecorded (回执未登记), the case cannot lapse, and
    staff record it by hand; the failure is audited. Call inside the issuing service's
    transaction, after the letter exists and before ``_save``."""
    notice = NOTICE_RECEIPTS.get(letter.kind)
    if notice is None or not notice_goes_online(application):
        return None
    if not _awaits_receipt(application, letter, notice[0]):
        return None
    sent = application.clock_events.filter(kind=_NOTICE_SENT[notice[0]]).order_by("-on", "-id").first()
    on = max(timezone.localdate(), sent.on if sent is not None else timezone.localdate())
    try:
        mailed = _notice_email(application, letter)
    except (OSError, smtplib.SMTPException) as exc:
        mailed = 0
        audit_record(actor=None, action="notice_email_failed", obj=letter,
                     after={"kind": letter.kind, "error": type(exc).__name__})  # fmt: skip
    if not mailed:
        return None
    record = DeliveryRecord.objects.create(
        application=application, letter=letter, method=Delivery.EMAIL, on=on,
        proof=str(ONLINE_RECEIPT_PROOF), actor=None,
    )  # fmt: skip
    _record_notice_receipt(application, letter, notice, on, Delivery.EMAIL, None)
    audit_record(actor=None, action="notice_receipt_online", obj=record,
                 after={"kind": letter.kind, "letter_no": letter.letter_no, "on": on.isoformat()})  # fmt: skip
    return record


@transaction.atomic
def notice_receipt_record(
    *, application: Application, notice: str, on: date, method: str, proof: str = "", actor
) -> DeliveryRecord:
    """Record the day the applicant received the correction notice (``notice`` "correction") or
    the fee notice ("fee"): post, the date on the return receipt; in person, the day handed
    over; online, the day it was on the progress page and e-mailed. The applicant's period runs
    from that day. A date in the future or before the notice was sent, or a case with no such
    notice awaiting its receipt, is refused and nothing changes."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    kinds = {name: kind for kind, (name, _e, _b) in NOTICE_RECEIPTS.items()}
    if notice not in kinds:
        raise ApplicationError(_("只有补正告知和收费通知需要登记回执。"))
    letter = application.letters.filter(kind=kinds[notice]).order_by("-created_at", "-id").first()
    if letter is None or not _awaits_receipt(application, letter, notice):
        raise ApplicationError(
            _("本申请没有待登记回执的%(what)s。")
            % {"what": _("补正告知") if notice == "correction" else _("收费通知")}
        )
    if on > timezone.localdate():
        raise ApplicationError(_("回执日期不能晚于今天。"))
    before = _snapshot(application)
    record = DeliveryRecord.objects.create(
        application=application, letter=letter, method=method, on=on, proof=proof.strip(), actor=actor
    )
    _record_notice_receipt(application, letter, NOTICE_RECEIPTS[kinds[notice]], on, method, actor)
    _save(application, actor, "notice_receipt_record", before)
    return record


@transaction.atomic
def letter_deliver(*, letter: Letter, method: str, on: date, proof: str = "", actor) -> DeliveryRecord:
    """Record how and when a letter reached the applicant; the reply's delivery closes the file."""
    application = _lock(letter.application)
    _require(can_handle(actor, application.agency))
    before = _snapshot(application)
    if on > timezone.localdate():
        raise ApplicationError(_("送达日期不能晚于今天。"))
    record = DeliveryRecord.objects.create(
        application=application, letter=letter, method=method, on=on, proof=proof.strip(), actor=actor
    )
    notice = NOTICE_RECEIPTS.get(letter.kind)
    if notice is not None and _awaits_receipt(application, letter, notice[0]):
        _record_notice_receipt(application, letter, notice, on, method, actor)
    if letter.kind == "reply":
        application.state = _transition(application, "deliver")
        application.closed_on = on
    _save(application, actor, "letter_deliver", before)
    return record


@transaction.atomic
def application_abandon(*, application: Application, actor=None, today: date | None = None) -> Application:
    """Close an application the applicant let lapse (no correction, fee unpaid) once the clock
    says their time ran out; run daily by `gongkai remind`."""
    application = _lock(application)
    if actor is not None:
        _require(can_handle(actor, application.agency))
    state = clock_state(application, today=today)
    if state.abandoned is None:
        raise ApplicationError(_("申请人的期限尚未届满。"))
    before = _snapshot(application)
    application.state = _transition(application, "abandon")
    application.outcome = ABANDONMENT_OUTCOME[state.abandoned]
    application.closed_on = today or timezone.localdate()
    return _save(application, actor, "application_abandon", before)


@transaction.atomic
def application_merge(*, duplicate: Application, into: Application, actor) -> Application:
    """Merge a duplicate into the application that is handled (the duplicate is kept, linked)."""
    duplicate = _lock(duplicate)
    _require(
        can_handle(actor, duplicate.agency)
        and into.agency_id == duplicate.agency_id
        and into.pk != duplicate.pk
    )
    before = _snapshot(duplicate)
    duplicate.state = _transition(duplicate, "merge")
    duplicate.merged_into = into
    return _save(duplicate, actor, "application_merge", before)


@transaction.atomic
def remedy_case_record(
    *, application: Application, kind: str, filed_on: date, actor, decided_on=None, result="", note=""
) -> RemedyCase:
    _require(can_handle(actor, application.agency))
    if kind not in RemedyCase.Kind.values or (result and result not in RemedyCase.Result.values):
        raise ApplicationError(_("请选择案件类型和结果。"))
    case = RemedyCase.objects.create(
        agency=application.agency, application=application, kind=kind, filed_on=filed_on, decided_on=decided_on,
        result=result, note=note,
    )  # fmt: skip
    audit_record(actor=actor, action="remedy_case_record", obj=case, after={"kind": kind, "result": result})
    return case


@transaction.atomic
def application_assign(*, application: Application, assignee, actor) -> Application:
    """Give the application to a clerk (or the office head) of the same agency."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if not can_handle(assignee, application.agency):
        raise ApplicationError(_("只能交由本机关的经办人或公开办负责人承办。"))
    before = _snapshot(application) | {"assigned_to": application.assigned_to_id}
    application.assigned_to = assignee
    return _save(application, actor, "application_assign", before)


@transaction.atomic
def application_link(*, application: Application, other: Application, actor) -> None:
    """Link an applicant's earlier application (both pages list the other)."""
    _require(can_handle(actor, application.agency) and other.agency_id == application.agency_id)
    if other.pk == application.pk:
        raise ApplicationError(_("不能关联自身。"))
    application.related.add(other)
    audit_record(actor=actor, action="application_link", obj=application, after={"related": other.pk})


@transaction.atomic
def remedy_case_update(
    *, case: RemedyCase, decided_on: date, result: str, actor, note: str = ""
) -> RemedyCase:
    """Record the result of a reconsideration or lawsuit when it is decided."""
    case = RemedyCase.objects.select_for_update().get(pk=case.pk)
    _require(can_handle(actor, case.agency))
    if result not in RemedyCase.Result.values or decided_on < case.filed_on:
        raise ApplicationError(_("请选择结果，结案日期不能早于立案日期。"))
    before = {"decided_on": str(case.decided_on) if case.decided_on else None, "result": case.result}
    case.decided_on, case.result = decided_on, result
    if note.strip():
        case.note = note.strip()
    case.save()
    audit_record(
        actor=actor,
        action="remedy_case_update",
        obj=case,
        before=before,
        after={"decided_on": str(decided_on), "result": result},
    )
    return case


def similar_applications(application: Application, limit: int = 5) -> list[Application]:
    """Earlier applications of the same applicant, and others asking for the same thing (for
    repeat detection and the Art. 44 suggestion), by identity and by shared two-character words."""
    from gongkai.search.tokenize import index_text

    mine = set(index_text(application.description).split())
    candidates = (
        Application.objects.filter(agency=application.agency)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")[:500]
    )
    scored = []
    for other in candidates:
        same_person = bool(application.id_number) and other.id_number == application.id_number
        theirs = set(index_text(other.description).split())
        overlap = len(mine & theirs) / max(1, len(mine | theirs))
        if same_person or overlap >= 0.5:
            scored.append((same_person, overlap, other))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [o for _s, _o, o in scored[:limit]]


def query_code_digest(code: str) -> str:
    """For tests and imports: a stable digest (never stored; the hash uses Django's hasher)."""
    return hashlib.sha256(code.encode()).hexdigest()
