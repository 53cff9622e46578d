"""State changes of complaints and suggestions: one entry point each (STYLE.md, habit 3).

Each service checks the permission and the state, writes, recomputes nothing it need not and
audits, in one transaction. The routed agency's clerks, office heads and supervisors act; the
agencies above it read (selectors.py). The complainant is the public: no actor, no account.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import holds_role_at
from gongkai.agencies.models import Agency, Role
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record
from gongkai.core.calendar import WorkdayResult
from gongkai.core.calendar_store import workday_add
from gongkai.core.query_codes import query_code_hash
from gongkai.core.scan.engine import scan_text
from gongkai.core.scan.findings import Confidence

from .models import Complaint
from .rules import Kind, State, answer_workdays, next_state

QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by hand
QUERY_CODE_LENGTH = 8
TRACKING_PREFIX = {Kind.COMPLAINT: "JB", Kind.SUGGESTION: "JY"}  # 举报, 建议: told apart on the phone
# Abuse limits without any outside service (security.md): per address and per contact.
SUBMISSIONS_PER_ADDRESS_PER_HOUR = 10
SUBMISSIONS_PER_CONTACT_PER_DAY = 10
# Roles of the routed agency that investigate, answer and publish.
ACTING_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.SUPERVISOR)


class ComplaintError(Exception):
    """A refusal with a message for the person who asked."""


class NotPermitted(ComplaintError, core_services.NotPermitted):
    pass


class Conflict(ComplaintError, core_services.Conflict):
    pass


class RateLimited(ComplaintError):
    pass


class Duplicate(ComplaintError):
    """The same submission again (a double click or a retry)."""


# --- routing and the answer period -------------------------------------------------------------


def complaint_route(*, agency: Agency, kind: str) -> Agency:
    """Who answers: for a complaint, the agency's competent authority for disclosure, else the
    agency above it (Art. 51); a suggestion goes to the agency itself. An agency with neither
    above it answers complaints about itself: there is no one else on the platform to ask."""
    if kind == Kind.SUGGESTION:
        return agency
    return agency.competent_authority or agency.parent or agency


def answer_due(received_on: date) -> WorkdayResult:
    """The answer date: the configured number of working days after the day of receipt."""
    return workday_add(received_on, answer_workdays())


# --- permissions -------------------------------------------------------------------------------


def can_act(user, complaint: Complaint) -> bool:
    """Investigate, answer and publish: staff of the routed agency in an acting role. A
    supervisor higher up reads but does not act; the routed agency answers (Art. 51)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return holds_role_at(user, complaint.routed_to_id, *ACTING_ROLES)


def _require(allowed: bool) -> None:
    core_services.require(allowed, NotPermitted)


def _transition(complaint: Complaint, event: str) -> str:
    allowed = next_state(complaint.kind, complaint.state, event) is not None
    if not allowed and event == "answer" and complaint.state == State.RECEIVED:
        raise ComplaintError(_("举报投诉须先调查处理，再作答复（《条例》第五十一条）。"))
    return core_services.transition(
        complaint, lambda state, ev: next_state(complaint.kind, state, ev), event, ComplaintError
    )


def _lock(complaint: Complaint, expected_version: int | None = None) -> Complaint:
    return core_services.lock(complaint, expected_version, error=Conflict)


SNAPSHOT_FIELDS = ("state", ("routed_to", "routed_to_id"), "due_on", "answered_at", "answer_public")


def _snapshot(c: Complaint) -> dict:
    return core_services.snapshot(c, SNAPSHOT_FIELDS)


def _save(complaint: Complaint, actor, action: str, before: dict) -> Complaint:
    complaint.version = F("version") + 1
    complaint.save()
    complaint.refresh_from_db()
    audit_record(actor=actor, action=action, obj=complaint, before=before, after=_snapshot(complaint))
    return complaint


# --- submission --------------------------------------------------------------------------------


@dataclass
class Submitted:
    complaint: Complaint
    query_code: str  # shown to the complainant once; only its hash is stored


def _new_tracking_no(kind: str, today: date) -> str:
    return f"{TRACKING_PREFIX[kind]}{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


def _new_code_and_hash() -> tuple[str, str]:
    """A query code and its keyed hash (gongkai.core.query_codes)."""
    code = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    return code, query_code_hash(code)


def _check_rate(*, client_ip: str | None, contact: str) -> None:
    now = timezone.now()
    if client_ip and (
        Complaint.objects.filter(client_ip=client_ip, received_at__gte=now - timedelta(hours=1)).count()
        >= SUBMISSIONS_PER_ADDRESS_PER_HOUR
    ):
        raise RateLimited(_("提交过于频繁，请一小时后再试。"))
    if contact and (
        Complaint.objects.filter(contact=contact, received_at__gte=now - timedelta(days=1)).count()
        >= SUBMISSIONS_PER_CONTACT_PER_DAY
    ):
        raise RateLimited(_("同一联系方式今日提交的事项已达上限，请明日再试。"))


def complaint_submit(
    *,
    data: dict,
    client_ip: str | None = None,
    idempotency_key: str | None = None,
    received_at: datetime | None = None,
) -> Submitted:
    """A complaint or suggestion from the portal (validated by ComplaintForm), received when
    sent, routed at once and given its answer date. A retried submission with the same
    idempotency key is refused, so a double click makes one. ``received_at`` is for one that
    arrived earlier by other means (a letter, the demo's history), never from the public form:
    its answer date counts from that day."""
    if received_at is not None and received_at > timezone.now():
        raise ComplaintError(_("收到时间不能晚于当前时间。"))
    code, code_hash = _new_code_and_hash()
    with transaction.atomic():
        if idempotency_key and Complaint.objects.filter(idempotency_key=idempotency_key).exists():
            raise Duplicate(_("该事项已提交，请勿重复提交。"))
        contact = (data.get("contact") or "").strip()
        _check_rate(client_ip=client_ip, contact=contact)
        agency, kind = data["agency"], data["kind"]
        received_at = received_at or timezone.now()
        due = answer_due(timezone.localdate(received_at))
        for _attempt in range(5):  # a tracking number is random; a collision is retried
            tracking_no = _new_tracking_no(kind, timezone.localdate(received_at))
            try:
                with transaction.atomic():
                    complaint = Complaint.objects.create(
                        kind=kind,
                        agency=agency,
                        routed_to=complaint_route(agency=agency, kind=kind),
                        tracking_no=tracking_no,
                        query_code_hash=code_hash,
                        idempotency_key=idempotency_key or None,
                        name=(data.get("name") or "").strip(),
                        contact=contact,
                        content=data["content"],
                        client_ip=client_ip,
                        received_at=received_at,
                        due_on=due.date,
                        due_provisional=due.provisional,
                    )
                break
            except IntegrityError:
                if not Complaint.objects.filter(tracking_no=tracking_no).exists():
                    raise  # not a collision: a double submission or a broken invariant
        else:
            raise ComplaintError(_("系统繁忙，请稍后重试。"))
        audit_record(actor=None, action="complaint_submit", obj=complaint, after=_snapshot(complaint))
    return Submitted(complaint, code)


def complaint_find(*, tracking_no: str, query_code: str) -> Complaint | None:
    """The complainant's own complaint, or None (the same answer for a wrong number or code)."""
    complaint = (
        Complaint.objects.filter(tracking_no=tracking_no.strip().upper())
        .select_related("agency", "routed_to")
        .first()
    )
    return core_services.row_for_query_code(complaint, query_code)


# --- handling ----------------------------------------------------------------------------------


@transaction.atomic
def complaint_investigate(
    *, complaint: Complaint, actor, note: str = "", expected_version: int | None = None
) -> Complaint:
    """The routed agency takes the complaint up and starts investigating (Art. 51)."""
    complaint = _lock(complaint, expected_version)
    _require(can_act(actor, complaint))
    before = _snapshot(complaint)
    complaint.state = _transition(complaint, "investigate")
    complaint.handled_by = actor
    complaint.investigation_note = note.strip()
    return _save(complaint, actor, "complaint_investigate", before)


@transaction.atomic
def complaint_answer(
    *,
    complaint: Complaint,
    answer: str,
    actor,
    note: str | None = None,
    upheld: bool | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """The answer to the complainant, shown on their progress page; it closes the matter. For a
    complaint, whether it was upheld (查实) is recorded: assessment counts upheld complaints."""
    complaint = _lock(complaint, expected_version)
    _require(can_act(actor, complaint))
    if not answer.strip():
        raise ComplaintError(_("请填写答复内容。"))
    before = _snapshot(complaint)
    complaint.state = _transition(complaint, "answer")
    complaint.answer = answer.strip()
    complaint.answered_at = timezone.now()
    complaint.answered_by = actor
    complaint.handled_by = complaint.handled_by or actor
    complaint.upheld = upheld if complaint.kind == Kind.COMPLAINT else None
    if note is not None:
        complaint.investigation_note = note.strip()
    return _save(complaint, actor, "complaint_answer", before)


def personal_data_in(complaint: Complaint, text: str) -> list[str]:
    """What in ``text`` identifies someone (masked, for the message): the complainant's name or
    contact, and the pre-scan's certain findings (ID and phone numbers, e-mail addresses)."""
    found = []
    for value in (complaint.name.strip(), complaint.contact.strip()):
        if len(value) >= 2 and value in text:
            found.append(value[:1] + "*" * (len(value) - 1))
    found += [f.excerpt for f in scan_text(text) if f.confidence == Confidence.HIGH]
    return found


@transaction.atomic
def complaint_publish(
    *,
    complaint: Complaint,
    public: bool,
    actor,
    public_summary: str = "",
    public_answer: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Publish the answer (or take it down). What is published is a summary of the question and
    the answer as edited for the public; neither may name the complainant or carry personal
    data (security.md: never in public pages)."""
    complaint = _lock(complaint, expected_version)
    _require(can_act(actor, complaint))
    if complaint.state != State.ANSWERED:
        raise ComplaintError(_("答复后才能公开。"))
    before = _snapshot(complaint)
    if public:
        summary, answer = public_summary.strip(), public_answer.strip()
        if not summary or not answer:
            raise ComplaintError(_("公开前请填写问题摘要和公开的答复内容。"))
        found = personal_data_in(complaint, summary + "\n" + answer)
        if found:
            raise ComplaintError(
                _("公开内容含有个人信息（%(found)s），请删除后再公开。") % {"found": "、".join(found)}
            )
        complaint.public_summary, complaint.public_answer = summary, answer
        if not complaint.answer_public:  # the date it (last) went public; an edit keeps it
            complaint.published_at = timezone.now()
    complaint.answer_public = public
    return _save(complaint, actor, "complaint_publish" if public else "complaint_unpublish", before)
