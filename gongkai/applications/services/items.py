"""Replies item by item (分项答复, issue 18 item 5): an application asking for several pieces of
information is split into items; each item gets its own outcome, grounds and provided files;
one reply letter answers them all (services/decisions.py drafts it from ``items_for_letter``).

The application still has exactly one outcome, the one the annual report counts it under
(annual-report.md: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "Each application counts
once"): the items' outcome when they all share one, partly disclosed when they differ
(``items_outcome``).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record

from ..letter_templates import redaction_ground_text
from ..models import Application, ApplicationFile, ApplicationItem
from ..rules import ABANDONMENT_OUTCOME, ApplicationState, LetterStatus, Outcome
from .base import ApplicationError, _lock, _require, can_handle, check_outcome_grounds

# Items are split and decided while the application is in hand, before the reply is drafted.
ITEM_STATES = (ApplicationState.SUBMITTED, ApplicationState.RECEIVED, ApplicationState.AWAITING_CORRECTION)


def items_outcome(outcomes: list[str]) -> str:
    """The application's one outcome from its items' outcomes: theirs when all share one,
    partly disclosed (区分处理) when they differ, and only then."""
    distinct = set(outcomes)
    if not distinct:
        return ""
    return outcomes[0] if len(distinct) == 1 else Outcome.PARTIALLY_DISCLOSED.value


def _editable(application: Application, actor) -> Application:
    """Lock ``application`` and check that its items may change now."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if application.state not in ITEM_STATES:
        raise ApplicationError(_("申请已作出决定，不能再调整分项。"))
    if application.letters.filter(kind="reply", status=LetterStatus.DRAFT).exists():
        raise ApplicationError(_("已有待签发的答复书草稿，请先作废草稿再调整分项。"))
    return application


def _snapshot(item: ApplicationItem) -> dict:
    return {
        "position": item.position,
        "outcome": item.outcome,
        "files": sorted(item.files.values_list("pk", flat=True)) if item.pk else [],
    }


@transaction.atomic
def item_add(*, application: Application, description: str, actor) -> ApplicationItem:
    """Split off one item of the request (appended after the others)."""
    application = _editable(application, actor)
    if not description.strip():
        raise ApplicationError(_("请填写该项所需的信息。"))
    last = application.items.aggregate(n=Max("position"))["n"] or 0
    item = ApplicationItem.objects.create(
        application=application, position=last + 1, description=description.strip()
    )
    audit_record(actor=actor, action="application_item_add", obj=item, after=_snapshot(item))
    return item


@transaction.atomic
def item_remove(*, item: ApplicationItem, actor) -> None:
    """Take back an item split off by mistake: only before the reply is drafted, when nothing
    has been sent on it (the audit trail keeps that it existed)."""
    _editable(item.application, actor)
    before = _snapshot(item)
    audit_record(actor=actor, action="application_item_remove", obj=item, before=before)
    item.files.clear()
    item.delete()


@transaction.atomic
def item_record(
    *,
    item: ApplicationItem,
    outcome: str,
    actor,
    reasons: str = "",
    provided_how: str = "",
    withheld_parts: list[tuple[str, str]] | None = None,
    other_agency: str = "",
    files: list[ApplicationFile] | None = None,
) -> ApplicationItem:
    """Record an item's outcome with its grounds and the provided files that answer it; it may be
    recorded again until the reply is drafted. The rules of a single decision hold per item:
    an adverse outcome states reasons, a partial disclosure lists what is withheld (typed here
    or the redactions of its files), another agency's information names that agency."""
    application = _editable(item.application, actor)
    item = ApplicationItem.objects.select_for_update().get(pk=item.pk, application=application)
    if outcome not in Outcome.values or outcome in ABANDONMENT_OUTCOME.values():
        raise ApplicationError(_("请选择该项的处理结果。"))
    files = list(files or [])
    if any(f.application_id != application.pk or f.kind != ApplicationFile.Kind.PROVIDED for f in files):
        raise ApplicationError(_("只能选择本申请中提供给申请人的文件。"))
    parts = [(p.strip(), g.strip()) for p, g in withheld_parts or [] if p.strip() and g.strip()]
    check_outcome_grounds(outcome, reasons, parts or _file_parts(files), other_agency)
    before = _snapshot(item)
    item.outcome = outcome
    item.reasons = reasons.strip()
    item.provided_how = provided_how.strip()
    item.withheld_parts = [list(p) for p in parts]
    item.other_agency = other_agency.strip()
    item.recorded_at = timezone.now()
    item.recorded_by = actor
    item.save()
    item.files.set(files)
    audit_record(
        actor=actor, action="application_item_record", obj=item, before=before, after=_snapshot(item)
    )
    return item


def _file_parts(files) -> list[tuple[str, str]]:
    """The withheld parts the redactions of ``files`` give (as decisions.withheld_parts_from_files
    does for the whole application): per file and ground, how many values; never a value."""
    parts = []
    for row in sorted(files, key=lambda f: (f.created_at, f.pk)):
        counts: dict[str, int] = {}
        for ground in row.redaction_grounds or []:
            counts[ground] = counts.get(ground, 0) + 1
        for ground, n in counts.items():
            part = _("提供的文件“%(title)s”中遮盖的%(n)d处内容") % {"title": row.title, "n": n}
            parts.append((part, redaction_ground_text(ground)))
    return parts


def items_for_letter(application: Application) -> list[dict]:
    """The items as the reply letter states them, in order (``LetterContext.items``); [] for an
    application not split. Refused while an item has no outcome."""
    items = list(application.items.prefetch_related("files").order_by("position", "id"))
    undecided = [n for n, item in enumerate(items, start=1) if not item.outcome]
    if undecided:
        raise ApplicationError(
            _("第%(n)s项尚未确定处理结果，请先逐项确定后再作出答复。") % {"n": "、".join(map(str, undecided))}
        )
    return [
        {
            "description": item.description,
            "outcome": item.outcome,
            "reasons": item.reasons,
            "provided_how": item.provided_how,
            "withheld_parts": [*_file_parts(item.files.all()), *(tuple(p) for p in item.withheld_parts)],
            "other_agency_name": item.other_agency,
        }
        for item in items
    ]
