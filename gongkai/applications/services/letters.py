"""Letters to the applicant and others: numbered, scanned before issue, rendered from the agency's
template and frozen when signed (what was sent can be shown again). A letter that needs sign-off
is an unnumbered draft until then (services/signoff.py).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency, DisclosureOffice
from gongkai.core.audit import audit_record

from .. import letters
from ..letter_scan import letter_findings, refusal_message
from ..letter_templates import items_remedy_outcome
from ..letters import LetterContext, RenderedLetter, remedy_fields
from ..models import (
    Application,
    Letter,
    LetterSequence,
    LetterTemplate,
)
from ..rules import LetterStatus
from .base import ApplicationError

# --- letters --------------------------------------------------------------------------------


def _letter_no(agency: Agency, year: int) -> str:
    LetterSequence.objects.get_or_create(agency=agency, year=year)
    LetterSequence.objects.filter(agency=agency, year=year).update(last=F("last") + 1)
    n = LetterSequence.objects.get(agency=agency, year=year).last
    prefix = agency.short_name or agency.name[:4]
    return f"{prefix}公复〔{year}〕{n}号"


def letter_context(application: Application, **extra):
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
    findings = letter_findings(
        application, rendered.title, rendered.paragraphs, addressees=addressees, public=public
    )
    if findings and not scan_confirm.strip():
        raise ApplicationError(refusal_message(findings, confirmable=kind in _CONFIRMABLE_LETTERS))
    return findings


def _render(application: Application, kind: str, outcome: str, letter_no: str, scan_confirm: str, ctx: dict):
    """Render ``kind`` from the agency's template (or the default) and scan it; returns the
    rendered letter and the scan findings kept."""
    # A reply item by item (分项答复) has one default template of its own: an edited template of
    # one outcome does not answer several items.
    template = None if ctx.get("items") else (
        LetterTemplate.objects.filter(agency=application.agency, kind=kind, outcome=outcome).first()
        or LetterTemplate.objects.filter(agency__isnull=True, kind=kind, outcome=outcome).first()
    )  # fmt: skip
    context = letter_context(application, letter_no=letter_no, outcome=outcome, **ctx)
    try:
        rendered = letters.render_letter(kind, context, template.text if template else None)
    except letters.LetterTemplateError as exc:
        raise ApplicationError(str(exc)) from exc
    addressees = [ctx.get("third_party_name", "")] if kind in _ADDRESSED_TO_THIRD_PARTY else []
    public = [
        context.office_phone, context.office_address, context.reconsideration_body,
        context.reconsideration_address, context.court, context.court_address, context.other_agency_name,
        *(item.get("other_agency_name", "") for item in context.items),  # 分项答复: each item's agency
    ]  # fmt: skip
    kept = letter_scan_check(
        application, kind, rendered, scan_confirm=scan_confirm, addressees=addressees, public=public
    )
    return rendered, kept


def _audit_scan(actor, letter: Letter, kept, scan_confirm: str) -> None:
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


_DATE_FIELDS = ("received_on", "due_on", "new_due_on", "fee_pay_by", "letter_date")


def _storable(ctx: dict) -> dict:
    """The template fields a letter keeps to be rendered again (a draft's edit and signing, a
    reissue), as JSON: tuples become lists, dates and amounts strings."""
    out = {}
    for key, value in ctx.items():
        if isinstance(value, date | Decimal):
            out[key] = value.isoformat() if isinstance(value, date) else str(value)
        elif isinstance(value, list | tuple):
            out[key] = [list(v) if isinstance(v, tuple) else v for v in value]
        elif isinstance(value, str | int | bool):
            out[key] = value
    return out


def _restored(ctx: dict) -> dict:
    """``_storable`` read back into template values."""
    out = dict(ctx)
    for key in _DATE_FIELDS:
        if isinstance(out.get(key), str):
            out[key] = date.fromisoformat(out[key]) if out[key] else None
    if isinstance(out.get("fee_amount"), str):
        out["fee_amount"] = Decimal(out["fee_amount"])
    if "withheld_parts" in out:
        out["withheld_parts"] = [tuple(p) for p in out["withheld_parts"]]
    return out


@transaction.atomic  # a refused letter gives its number back
def letter_create(
    *,
    application: Application,
    kind: str,
    actor,
    outcome: str = "",
    numbered: bool = True,
    scan_confirm: str = "",
    signoff: list[str] | None = None,
    **ctx,
) -> Letter:
    """Render and freeze a letter from the agency's template (or the default). Its text is
    scanned first (``letter_scan_check``); ``scan_confirm`` is the clerk's reason for keeping
    what the scan found. With ``signoff`` (roles, in order) the letter is an unnumbered draft
    until ``letter_sign`` (services/signoff.py) gives it its number; without, it is signed now."""
    items = ctx.get("items")
    remedy_missing_check(
        application.agency, kind, items_remedy_outcome([i["outcome"] for i in items]) if items else outcome
    )
    draft = bool(signoff)
    letter_no = _letter_no(application.agency, timezone.localdate().year) if numbered and not draft else ""
    rendered, kept = _render(application, kind, outcome, letter_no, scan_confirm, ctx)
    letter = Letter.objects.create(
        application=application,
        kind=kind,
        outcome=outcome,
        letter_no=rendered.letter_no,
        title=rendered.title,
        paragraphs=list(rendered.paragraphs),
        seal_lines=list(rendered.seal_lines),
        created_by=actor,
        status=LetterStatus.DRAFT if draft else LetterStatus.SIGNED,
        signoff_steps=list(signoff or []),
        draft_context=_storable(ctx) | {"numbered": numbered, "scan_confirm": scan_confirm},
        signed_at=None if draft else timezone.now(),
    )
    audit_record(
        actor=actor,
        action="letter_draft" if draft else "letter_create",
        obj=letter,
        after={"kind": kind, "letter_no": letter.letter_no, "signoff": letter.signoff_steps},
    )
    _audit_scan(actor, letter, kept, scan_confirm)
    return letter


def _letter_rerender(letter: Letter, *, actor, numbered_now: bool = False, **changes) -> Letter:
    """Render a draft again from its template with ``changes`` to its fields (the clerk's edit),
    or with its number when the last sign-off is given (``numbered_now``). The caller checks the
    actor and holds the application's lock."""
    ctx = dict(letter.draft_context)
    numbered = ctx.pop("numbered", True)
    scan_confirm = changes.pop("scan_confirm", ctx.pop("scan_confirm", ""))
    ctx.pop("scan_confirm", None)
    ctx = _restored(ctx)
    ctx.update(changes)
    ctx.pop("reissue_of", None)
    application = letter.application
    letter_no = _letter_no(application.agency, timezone.localdate().year) if numbered_now and numbered else ""
    rendered, kept = _render(application, letter.kind, letter.outcome, letter_no, scan_confirm, ctx)
    letter.letter_no = rendered.letter_no
    letter.title = rendered.title
    letter.paragraphs = list(rendered.paragraphs)
    letter.seal_lines = list(rendered.seal_lines)
    keep = {"reissue_of": letter.draft_context["reissue_of"]} if "reissue_of" in letter.draft_context else {}
    letter.draft_context = _storable(ctx) | {"numbered": numbered, "scan_confirm": scan_confirm} | keep
    letter.save()
    _audit_scan(actor, letter, kept, scan_confirm)
    return letter


def letter_rendered(letter: Letter):
    return RenderedLetter(
        title=letter.title,
        letter_no=letter.letter_no,
        paragraphs=list(letter.paragraphs),
        seal_lines=list(letter.seal_lines),
    )
