"""Letters as drafts (issue 18 item 2): a letter that needs sign-off is an unnumbered draft; the
clerk previews and edits it within its template; each role of its sign-off signs in turn and the
last one numbers and issues it (a reply decides the application then: the clock's decision date
is the signing date); a draft or an issued letter can be voided (an issued one keeps its number
in the register) and reissued. A clerk proposes an extension; the office head approves it.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import roles_by_agency
from gongkai.agencies.models import Role
from gongkai.core.audit import audit_record

from .. import clock as clock_engine
from ..models import Application, Letter
from ..rules import EXTENSION_PROPOSAL_SIGNOFF, LetterStatus, next_letter_status
from ..selectors import clock_state
from .base import ApplicationError, _lock, _require, _roles, _save, _snapshot, can_approve, can_handle
from .clock_bridge import _event
from .decisions import decide_now
from .letters import _letter_rerender, _restored, letter_create

ROLE_LABELS = dict(Role.choices)


def _step(letter: Letter, event: str) -> str:
    status = next_letter_status(letter.status, event)
    if status is None:
        raise ApplicationError(
            _("该文书当前为“%(status)s”，不能进行此操作。") % {"status": letter.get_status_display()}
        )
    return status


def next_signoff(letter: Letter) -> str | None:
    """The role whose sign-off the draft waits for, or None."""
    if letter.status != LetterStatus.DRAFT:
        return None
    done = len(letter.signoffs or [])
    steps = letter.signoff_steps or []
    return steps[done] if done < len(steps) else None


def can_sign(user, letter: Letter) -> bool:
    role = next_signoff(letter)
    return role is not None and role in _roles(user, letter.application.agency)


def _locked_letter(letter: Letter) -> tuple[Application, Letter]:
    application = _lock(letter.application)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    letter.application = application
    return application, letter


@transaction.atomic
def letter_sign(*, letter: Letter, actor, note: str = "") -> Letter:
    """Sign the draft off for the role it waits for; the last sign-off numbers and dates the
    letter and issues it: a reply decides the application today, an extension takes effect."""
    application, letter = _locked_letter(letter)
    _require(can_handle(actor, application.agency) or can_sign(actor, letter))
    _step(letter, "sign")
    role = next_signoff(letter)
    _require(can_sign(actor, letter))
    letter.signoffs = [
        *(letter.signoffs or []),
        {"role": role, "user_id": actor.pk, "at": timezone.now().isoformat(), "note": note.strip()},
    ]
    letter.save(update_fields=["signoffs"])
    audit_record(actor=actor, action="letter_signoff", obj=letter, after={"role": role, "note": note.strip()})
    if next_signoff(letter) is not None:
        return letter
    before = _snapshot(application)
    reissue_of = letter.draft_context.get("reissue_of")
    changes = {}
    if letter.kind == "reply" and not reissue_of:
        decide_now(
            application,
            outcome=letter.outcome,
            other_agency=letter.draft_context.get("other_agency_name", ""),
        )
    elif letter.kind == "extension" and not reissue_of:
        _extend(application, letter, actor)
        changes["new_due_on"] = application.reply_due_on
    letter = _letter_rerender(letter, actor=actor, numbered_now=True, **changes)
    letter.status = _step(letter, "sign")
    letter.signed_at = timezone.now()
    letter.save(update_fields=["status", "signed_at"])
    if reissue_of:
        Letter.objects.filter(pk=reissue_of).update(superseded_by=letter)
    audit_record(actor=actor, action="letter_sign", obj=letter, after={"letter_no": letter.letter_no})
    _save(application, actor, "application_decide" if letter.kind == "reply" else "letter_sign", before)
    return letter


def _extend(application: Application, letter: Letter, actor) -> None:
    """The approved extension takes effect today (refused if too late, Art. 33(2))."""
    days = int(letter.draft_context["extension_days"])
    on = timezone.localdate()
    try:
        state = clock_state(application)
    except clock_engine.ClockError as exc:
        raise ApplicationError(str(exc)) from exc
    refusal = clock_engine.extension_allowed(state, days, on)
    if refusal:
        raise ApplicationError(refusal)
    _event(
        application, clock_engine.EventKind.EXTENDED, on, actor=actor, days=days,
        note=letter.draft_context.get("reasons", ""), basis="《条例》第三十三条第二款",
    )  # fmt: skip


@transaction.atomic
def extension_propose(
    *, application: Application, days: int, reason: str, actor, on: date | None = None
) -> Letter:
    """A clerk proposes extending the reply period (Art. 33(2)): a draft extension notice that
    the office head approves from the sign-off queue (``letter_sign``), which extends the period."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    on = on or timezone.localdate()
    try:
        state = clock_state(application)
    except clock_engine.ClockError as exc:
        raise ApplicationError(str(exc)) from exc
    refusal = clock_engine.extension_allowed(state, days, on)
    if refusal:
        raise ApplicationError(refusal)
    if not reason.strip():
        raise ApplicationError(_("请说明延长答复期限的理由。"))
    if application.letters.filter(kind="extension", status=LetterStatus.DRAFT).exists():
        raise ApplicationError(_("已有待批准的延期申请。"))
    before = _snapshot(application)
    letter = letter_create(
        application=application, kind="extension", actor=actor, extension_days=days, reasons=reason.strip(),
        signoff=list(EXTENSION_PROPOSAL_SIGNOFF),
    )  # fmt: skip
    _save(application, actor, "extension_propose", before)
    return letter


EDITABLE_FIELDS = ("reasons", "provided_how", "other_agency_name")


@transaction.atomic
def letter_edit(*, letter: Letter, actor, scan_confirm: str = "", **fields) -> Letter:
    """Edit a draft within its template: only the fields the clerk filled in (reasons, how the
    information is provided, the other agency) change; the template's text stays. The sign-offs
    given so far are withdrawn (they signed another text)."""
    application, letter = _locked_letter(letter)
    _require(can_handle(actor, application.agency))
    _step(letter, "edit")
    changes = {k: v.strip() for k, v in fields.items() if k in EDITABLE_FIELDS and v is not None}
    if letter.kind == "reply" and letter.outcome != "disclosed" and not changes.get("reasons", "x"):
        raise ApplicationError(_("不予公开、部分公开、无法提供或不予处理的，须说明理由。"))
    before = {k: letter.draft_context.get(k, "") for k in changes}
    letter = _letter_rerender(letter, actor=actor, scan_confirm=scan_confirm, **changes)
    letter.signoffs = []
    letter.save(update_fields=["signoffs"])
    audit_record(actor=actor, action="letter_edit", obj=letter, before=before, after=changes)
    return letter


@transaction.atomic
def letter_void(*, letter: Letter, actor, reason: str) -> Letter:
    """Void a letter. A draft (never numbered) is voided by the clerk; an issued letter only by
    the office head, and it keeps its number in the register, marked void with the reason."""
    application, letter = _locked_letter(letter)
    if letter.status == LetterStatus.SIGNED:
        _require(can_approve(actor, application.agency))
    else:
        _require(can_handle(actor, application.agency))
    if not reason.strip():
        raise ApplicationError(_("请说明作废理由。"))
    if letter.status == LetterStatus.SIGNED and letter.deliveries.exists():
        raise ApplicationError(_("已送达的文书不能作废，须另行更正。"))
    letter.status = _step(letter, "void")
    letter.voided_at = timezone.now()
    letter.void_reason = reason.strip()
    letter.save(update_fields=["status", "voided_at", "void_reason"])
    audit_record(actor=actor, action="letter_void", obj=letter, after={"letter_no": letter.letter_no, "reason": reason.strip()})  # fmt: skip
    return letter


@transaction.atomic
def letter_reissue(*, letter: Letter, actor, **fields) -> Letter:
    """Reissue a voided issued letter: a new draft of the same kind and outcome with its fields
    (``fields`` change them), signed off as the original was; on signing it gets a new number
    and the voided letter points to it. The application's state does not change again."""
    application, letter = _locked_letter(letter)
    _require(can_handle(actor, application.agency))
    if letter.status != LetterStatus.VOID or not letter.signed_at:
        raise ApplicationError(_("只有已签发后作废的文书可以重新出具。"))
    if letter.superseded_by_id:
        raise ApplicationError(_("该文书已重新出具。"))
    ctx = dict(letter.draft_context)
    ctx.pop("numbered", None)
    ctx.pop("reissue_of", None)
    ctx.pop("scan_confirm", None)
    ctx = _restored(ctx)
    ctx.update({k: v.strip() for k, v in fields.items() if k in EDITABLE_FIELDS})
    steps = list(letter.signoff_steps) or [Role.OFFICE_HEAD]
    new = letter_create(
        application=application, kind=letter.kind, actor=actor, outcome=letter.outcome, signoff=steps, **ctx
    )
    new.draft_context = {**new.draft_context, "reissue_of": letter.pk}
    new.save(update_fields=["draft_context"])
    audit_record(actor=actor, action="letter_reissue", obj=new, after={"voided": letter.letter_no})
    return new


def letters_awaiting(user) -> list[Letter]:
    """The drafts waiting for a sign-off that ``user`` may give (the approver's queue), oldest
    first, in the agencies the user holds that role on."""
    roles = roles_by_agency(user, *ROLE_LABELS)
    if not roles:
        return []
    drafts = (
        Letter.objects.filter(status=LetterStatus.DRAFT, application__agency_id__in=list(roles))
        .select_related("application", "application__agency", "created_by")
        .order_by("created_at", "id")
    )
    return [d for d in drafts if next_signoff(d) in roles.get(d.application.agency_id, set())]
