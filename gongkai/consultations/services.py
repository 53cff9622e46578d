"""State changes of consultations on draft decisions: one entry point each (STYLE.md, habit 3).

The draft and the adoption report are drafted here as catalogue documents through
``publishing.services.record_draft`` and then follow the agency's review chain like any other
publication (先审查、后公开): nothing here publishes. Every service checks the actor's role on
the agency (agencies/access.py through ``can_*``), the state, writes and audits in one
transaction. Commenters are the public: no actor, no account.
"""

import secrets
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.models import Document, Genre, Visibility
from gongkai.catalogue.services import DocumentFields
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record
from gongkai.publishing import services as publishing
from gongkai.publishing.rules import InfoType

from .masking import masked_for_public
from .models import Comment, CommentGroup, Consultation
from .rules import (
    GENRE_DRAFT,
    GENRE_REPORT,
    Adoption,
    IdentityRule,
    Moderation,
    Phase,
    adoption_problem,
    next_moderation,
    period_problem,
    phase,
    report_body,
)

# Floods without any outside service (security.md): per address and per consultation.
COMMENTS_PER_ADDRESS_PER_HOUR = 10
COMMENT_MAX_CHARS = 5000
# Who runs a consultation for its agency: the drafting clerk and the disclosure office.
ACTING_ROLES = (Role.CLERK, Role.OFFICE_HEAD)


class ConsultationError(Exception):
    """A refusal with a message for the person who asked."""


class NotPermitted(ConsultationError, core_services.NotPermitted):
    pass


class Conflict(ConsultationError, core_services.Conflict):
    pass


class RateLimited(ConsultationError):
    pass


class Duplicate(ConsultationError):
    """The same submission again (a double click or a retry)."""


# --- permissions and helpers -------------------------------------------------------------------


def can_act(user, agency: Agency) -> bool:
    """Run the agency's consultations: its clerks and its disclosure office (explicit grants)."""
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, agency, *ACTING_ROLES)


def _require(allowed: bool) -> None:
    core_services.require(allowed, NotPermitted)


def consultation_phase(consultation: Consultation, today: date | None = None) -> str:
    """The consultation's phase today (rules.phase on its stored facts)."""
    return phase(
        draft_public=consultation.draft.visibility == Visibility.PUBLIC,
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        report_public=consultation.report_id is not None
        and consultation.report.visibility == Visibility.PUBLIC,
        cancelled=consultation.cancelled_at is not None,
        today=today or timezone.localdate(),
    )


def _genre_id(name: str) -> int | None:
    return Genre.objects.filter(name=name).values_list("pk", flat=True).first()


def _lock(consultation: Consultation, expected_version: int | None = None) -> Consultation:
    """The consultation's row alone is locked (its draft and report are read as needed: the
    report is the nullable side of an outer join, which a row lock cannot cover)."""
    return core_services.lock(consultation, expected_version, error=Conflict)


SNAPSHOT_FIELDS = (
    "opens_on",
    "closes_on",
    "short_period_reason",
    "identity_rule",
    ("report", "report_id"),
    ("final_document", "final_document_id"),
    ("interpretation", "interpretation_id"),
)


def _snapshot(c: Consultation) -> dict:
    return {**core_services.snapshot(c, SNAPSHOT_FIELDS), "cancelled": c.cancelled_at is not None}


def _save(c: Consultation, actor, action: str, before: dict) -> Consultation:
    c.version = F("version") + 1
    c.save()
    c.refresh_from_db()
    audit_record(actor=actor, action=action, obj=c, before=before, after=_snapshot(c))
    return c


def _publishing(call):
    try:
        return call()
    except publishing.NotPermitted as exc:
        raise NotPermitted(str(exc)) from exc
    except publishing.PublishingError as exc:
        raise ConsultationError(str(exc)) from exc


# --- the consultation --------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *,
    agency: Agency,
    title: str,
    draft_text: str,
    explanation: str,
    opens_on: date,
    closes_on: date,
    actor,
    short_period_reason: str = "",
    identity_rule: str = IdentityRule.ANONYMOUS_ALLOWED,
) -> Consultation:
    """A draft decision for comment: its 征求意见稿 (with the 起草说明 as its summary) is drafted
    as a catalogue record and goes through the agency's review chain from the workbench; the
    comment period opens once it is public."""
    _require(can_act(actor, agency))
    problem = period_problem(opens_on, closes_on, short_period_reason)
    if problem:
        raise ConsultationError(problem)
    if not explanation.strip():
        raise ConsultationError(_("请填写起草说明。"))
    if identity_rule not in IdentityRule.values:
        raise ConsultationError(_("请选择署名要求。"))
    fields = DocumentFields(
        title=title.strip(),
        written_on=timezone.localdate(),
        body=draft_text,
        summary=explanation.strip(),
        genre_id=_genre_id(GENRE_DRAFT),
    )
    submission = _publishing(
        lambda: publishing.record_draft(
            agency=agency, fields=fields, actor=actor, info_type=InfoType.DOCUMENT
        )
    )
    consultation = Consultation.objects.create(
        agency=agency,
        draft=submission.document,
        draft_submission=submission,
        opens_on=opens_on,
        closes_on=closes_on,
        short_period_reason=short_period_reason.strip(),
        identity_rule=identity_rule,
        created_by=actor,
    )
    audit_record(actor=actor, action="consultation_create", obj=consultation, after=_snapshot(consultation))
    return consultation


@transaction.atomic
def consultation_set_period(
    *,
    consultation: Consultation,
    opens_on: date,
    closes_on: date,
    short_period_reason: str = "",
    actor,
    expected_version: int | None = None,
) -> Consultation:
    """Change the comment period (an extension, or a later start when the draft's review took
    longer). Once comments are open the start stays and the end may only move later."""
    c = _lock(consultation, expected_version)
    _require(can_act(actor, c.agency))
    now = consultation_phase(c)
    if now in (Phase.CLOSED, Phase.CONCLUDED, Phase.CANCELLED):
        raise ConsultationError(_("征求意见已结束，不能再变更期限。"))
    if now == Phase.OPEN and (opens_on != c.opens_on or closes_on < c.closes_on):
        raise ConsultationError(_("征求意见期间只能延长截止日期。"))
    problem = period_problem(opens_on, closes_on, short_period_reason)
    if problem:
        raise ConsultationError(problem)
    before = _snapshot(c)
    c.opens_on, c.closes_on, c.short_period_reason = opens_on, closes_on, short_period_reason.strip()
    return _save(c, actor, "consultation_set_period", before)


@transaction.atomic
def consultation_cancel(
    *, consultation: Consultation, reason: str, actor, expected_version: int | None = None
) -> Consultation:
    """Stop a consultation (the decision was abandoned); comments received stay on record."""
    c = _lock(consultation, expected_version)
    _require(can_act(actor, c.agency))
    if c.cancelled_at is not None or consultation_phase(c) == Phase.CONCLUDED:
        raise ConsultationError(_("该征求意见已结束，不能终止。"))
    if not reason.strip():
        raise ConsultationError(_("请填写终止理由。"))
    before = _snapshot(c)
    c.cancelled_at, c.cancel_reason = timezone.now(), reason.strip()
    return _save(c, actor, "consultation_cancel", before)


def _public_document_of(agency_id: int, document: Document | None, what: str) -> None:
    if document is None:
        return
    if document.agency_id != agency_id or document.visibility != Visibility.PUBLIC:
        raise ConsultationError(_("%(what)s须为本机关已公开的文件。") % {"what": what})


@transaction.atomic
def consultation_link(
    *,
    consultation: Consultation,
    final_document: Document | None,
    interpretation: Document | None,
    actor,
    expected_version: int | None = None,
) -> Consultation:
    """Link the decision as adopted and its interpretation (政策解读): the consultation's page
    then leads from the draft to the report, the final decision and the interpretation."""
    c = _lock(consultation, expected_version)
    _require(can_act(actor, c.agency))
    _public_document_of(c.agency_id, final_document, _("正式决策文件"))
    _public_document_of(c.agency_id, interpretation, _("政策解读"))
    before = _snapshot(c)
    c.final_document, c.interpretation = final_document, interpretation
    return _save(c, actor, "consultation_link", before)


# --- comments ----------------------------------------------------------------------------------


def _new_tracking_no(today: date) -> str:
    return f"YJ{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


def _check_rate(client_ip: str | None) -> None:
    if not client_ip:
        return
    since = timezone.now() - timedelta(hours=1)
    if (
        Comment.objects.filter(client_ip=client_ip, received_at__gte=since).count()
        >= COMMENTS_PER_ADDRESS_PER_HOUR
    ):
        raise RateLimited(_("提交过于频繁，请一小时后再试。"))


def comment_problem(consultation: Consultation, *, name: str, contact: str, body: str) -> str | None:
    """What stops a comment from being accepted, in words for the commenter (shared by the
    web form and the API); None when it can be accepted."""
    if consultation_phase(consultation) != Phase.OPEN:
        return str(_("该草案当前不在征求意见期内。"))
    if not body.strip():
        return str(_("请填写意见内容。"))
    if len(body) > COMMENT_MAX_CHARS:
        return str(_("意见内容不能超过%(n)d字。") % {"n": COMMENT_MAX_CHARS})
    if consultation.identity_rule == IdentityRule.NAME_REQUIRED and not (name.strip() and contact.strip()):
        return str(_("本次征求意见须署名：请填写姓名或名称和联系方式。"))
    return None


def comment_submit(
    *,
    consultation: Consultation,
    body: str,
    name: str = "",
    contact: str = "",
    client_ip: str | None = None,
    idempotency_key: str | None = None,
) -> Comment:
    """Accept a comment while the consultation is open. Once this returns the comment is
    committed and audited: it is never deleted, only shown or withheld. A retry with the same
    idempotency key raises Duplicate, so a double click makes one comment."""
    with transaction.atomic():
        if idempotency_key and Comment.objects.filter(idempotency_key=idempotency_key).exists():
            raise Duplicate(_("该意见已提交，请勿重复提交。"))
        consultation = Consultation.objects.select_related("draft", "report").get(pk=consultation.pk)
        problem = comment_problem(consultation, name=name, contact=contact, body=body)
        if problem:
            raise ConsultationError(problem)
        _check_rate(client_ip)
        now = timezone.now()
        for _attempt in range(5):  # a tracking number is random; a collision is retried
            tracking_no = _new_tracking_no(timezone.localdate(now))
            try:
                with transaction.atomic():
                    comment = Comment.objects.create(
                        consultation=consultation,
                        tracking_no=tracking_no,
                        idempotency_key=idempotency_key or None,
                        name=name.strip(),
                        contact=contact.strip(),
                        body=body.strip(),
                        client_ip=client_ip,
                        received_at=now,
                    )
                break
            except IntegrityError:
                if not Comment.objects.filter(tracking_no=tracking_no).exists():
                    raise  # a double submission reaching the database at once
        else:
            raise ConsultationError(_("系统繁忙，请稍后重试。"))
        audit_record(
            actor=None,
            action="comment_submit",
            obj=comment,
            after={"consultation": consultation.pk, "tracking_no": tracking_no},
        )
    return comment


@transaction.atomic
def comment_moderate(
    *, comment: Comment, event: str, actor, reason: str = "", expected_version: int | None = None
) -> Comment:
    """Show a comment on the public page (its personal data masked) or withhold it with a reason
    (abuse, advertising, personal data throughout). Either way it stays on record."""
    comment = core_services.lock(comment, related=("consultation__agency",))
    _require(can_act(actor, comment.consultation.agency))
    if expected_version is not None and comment.version != expected_version:
        raise Conflict(_("该意见已被他人处理，请刷新页面后查看最新状态。"))
    state = next_moderation(comment.moderation, event)
    if state is None:
        raise ConsultationError(
            _("当前状态为“%(state)s”，不能进行此操作。") % {"state": comment.get_moderation_display()}
        )
    if state == Moderation.WITHHELD and not reason.strip():
        raise ConsultationError(_("不予展示须说明理由。"))
    before = {"moderation": comment.moderation}
    comment.moderation = state
    comment.moderation_reason = reason.strip() if state == Moderation.WITHHELD else ""
    if state == Moderation.SHOWN:
        comment.public_body = masked_for_public(comment.body, own=(comment.name, comment.contact))
    comment.moderated_by, comment.moderated_at = actor, timezone.now()
    comment.version = F("version") + 1
    comment.save()
    comment.refresh_from_db()
    audit_record(
        actor=actor, action=f"comment_{event}", obj=comment, before=before, after={"moderation": state}
    )
    return comment


# --- grouping and adoption ---------------------------------------------------------------------


def _require_closed(c: Consultation) -> None:
    if consultation_phase(c) != Phase.CLOSED:
        raise ConsultationError(_("征求意见期结束后、公布采纳情况前，才能归类意见和确定采纳情况。"))


@transaction.atomic
def group_create(*, consultation: Consultation, summary: str, comment_ids: list[int], actor) -> CommentGroup:
    """A group of comments of the same substance, with the office's summary of them."""
    c = _lock(consultation)
    _require(can_act(actor, c.agency))
    _require_closed(c)
    if not summary.strip():
        raise ConsultationError(_("请填写意见概要。"))
    group = CommentGroup.objects.create(
        consultation=c, summary=summary.strip(), sort_order=c.groups.count() + 1
    )
    comments_assign(group=group, comment_ids=comment_ids, actor=actor)
    audit_record(actor=actor, action="comment_group_create", obj=group, after={"summary": group.summary})
    return group


@transaction.atomic
def comments_assign(*, group: CommentGroup, comment_ids: list[int], actor) -> int:
    """Put comments of the group's consultation into the group (moving them from another)."""
    c = _lock(group.consultation)
    _require(can_act(actor, c.agency))
    _require_closed(c)
    n = Comment.objects.filter(consultation=c, pk__in=comment_ids).update(
        group=group, version=F("version") + 1
    )
    if n:
        audit_record(
            actor=actor, action="comments_assign", obj=group, after={"comments": sorted(comment_ids)}
        )
    return n


@transaction.atomic
def group_decide(
    *, group: CommentGroup, decision: str, reason: str, actor, summary: str | None = None
) -> CommentGroup:
    """Adopted, partly adopted or not adopted, with the reason (shown in the report)."""
    c = _lock(group.consultation)
    _require(can_act(actor, c.agency))
    _require_closed(c)
    problem = adoption_problem(decision, reason)
    if problem:
        raise ConsultationError(problem)
    group = core_services.lock(group)
    before = {"decision": group.decision, "reason": group.reason}
    if summary is not None and summary.strip():
        group.summary = summary.strip()
    group.decision, group.reason = decision, reason.strip()
    group.decided_by, group.decided_at = actor, timezone.now()
    group.save()
    audit_record(
        actor=actor, action="comment_group_decide", obj=group, before=before,
        after={"decision": decision, "reason": group.reason},
    )  # fmt: skip
    return group


def report_problem(consultation: Consultation) -> str | None:
    """What must be done before the adoption report can be drafted; None when ready."""
    if consultation.comments.filter(group__isnull=True).exists():
        return str(_("还有意见未归类：每条意见都须归入一类并确定采纳情况。"))
    if consultation.groups.filter(decision="").exists():
        return str(_("还有意见类别未确定采纳情况。"))
    return None


def report_text(consultation: Consultation) -> str:
    """The report's text proposed from the decided groups."""
    groups = [
        (g.summary, g.get_decision_display(), "" if g.decision == Adoption.ADOPTED else g.reason)
        for g in consultation.groups.all()
    ]
    return report_body(title=consultation.draft.title, received=consultation.comments.count(), groups=groups)


@transaction.atomic
def report_draft(
    *, consultation: Consultation, actor, body: str | None = None, expected_version: int | None = None
) -> Consultation:
    """Draft the adoption report (意见采纳情况) as a catalogue record; it goes through the review
    chain like any publication, and its publication concludes the consultation."""
    c = _lock(consultation, expected_version)
    _require(can_act(actor, c.agency))
    _require_closed(c)
    if c.report_id is not None:
        raise ConsultationError(_("采纳情况已起草，请在审查流程中修改或提交。"))
    problem = report_problem(c)
    if problem:
        raise ConsultationError(problem)
    fields = DocumentFields(
        title=f"关于《{c.draft.title}》公开征求意见采纳情况的说明",
        written_on=timezone.localdate(),
        body=(body or "").strip() or report_text(c),
        genre_id=_genre_id(GENRE_REPORT),
    )
    submission = _publishing(lambda: publishing.record_draft(agency=c.agency, fields=fields, actor=actor))
    before = _snapshot(c)
    c.report, c.report_submission = submission.document, submission
    return _save(c, actor, "adoption_report_draft", before)
