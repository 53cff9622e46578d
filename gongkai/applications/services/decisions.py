"""The decision with exactly one outcome and its reply letter, and the files provided to the
applicant (redacted for a partial disclosure, Art. 37).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.files.redaction import RedactionError, redact_file

from ..letter_templates import redaction_ground_text
from ..models import (
    Application,
    ApplicationFile,
    Letter,
)
from ..rules import (
    ABANDONMENT_OUTCOME,
    LETTER_SIGNOFF_DEFAULT,
    PERSONAL_DATA_GROUND,
    REDACTION_GROUNDS,
    LetterStatus,
    Outcome,
    signoff_steps,
)
from .base import (
    ApplicationError,
    _lock,
    _require,
    _save,
    _snapshot,
    _transition,
    can_handle,
    check_outcome_grounds,
)
from .intake import _file_snapshot, _inspect, _store_file, _store_inspected
from .items import items_for_letter, items_outcome
from .letters import letter_create


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
    """Decide with exactly one outcome and draft the reply letter (numbered, frozen; or a draft
    awaiting sign-off when the agency's practice asks for one, ``reply_signoff``). For a
    partial disclosure the withheld parts are the provided files' redactions with their grounds
    (``withheld_parts_from_files``) followed by the parts the clerk lists. ``scan_confirm``:
    the reason for keeping what the letter scan found (``letter_scan_check``).

    An application split into items (services/items.py) is answered item by item: its outcome
    is the one its items give (``items_outcome``), ``outcome`` may only repeat it, ``reasons``
    is a closing remark, and the letter has one section per item."""
    application = _lock(application, expected_version)
    _require(can_handle(actor, application.agency))
    items = items_for_letter(application)
    if items:
        if outcome and outcome != items_outcome([i["outcome"] for i in items]):
            raise ApplicationError(_("本申请已分项办理，处理结果由各项的结果确定，请逐项确定。"))
        outcome = items_outcome([i["outcome"] for i in items])
        withheld_parts, other_agency = [], ""
    elif outcome not in Outcome.values or outcome in ABANDONMENT_OUTCOME.values():
        raise ApplicationError(_("请选择处理结果。"))
    elif outcome == Outcome.PARTIALLY_DISCLOSED:
        from_files = withheld_parts_from_files(application)
        # the decision form shows these prefilled (issue 18 item 7): sent back unchanged, once
        withheld_parts = [*from_files, *(p for p in withheld_parts or [] if tuple(p) not in from_files)]
    if not items:
        check_outcome_grounds(outcome, reasons, withheld_parts, other_agency)
    extra = {"items": items} if items else {}
    steps = reply_signoff(outcome)
    if steps:
        # Issue 18 item 2: a draft for sign-off; the application is decided (and the clock's
        # decision date fixed) when the last sign-off numbers the letter (signoff.letter_sign).
        _transition(application, "decide")  # refused now if the state does not allow a decision
        if application.letters.filter(kind="reply", status=LetterStatus.DRAFT).exists():
            raise ApplicationError(_("已有待签发的答复书草稿，请先签发或作废。"))
        before = _snapshot(application)
        letter = letter_create(
            application=application, kind="reply", actor=actor, outcome=outcome, reasons=reasons.strip(),
            provided_how=provided_how.strip(), withheld_parts=list(withheld_parts or []),
            other_agency_name=other_agency.strip(), scan_confirm=scan_confirm, signoff=steps, **extra,
        )  # fmt: skip
        _save(application, actor, "reply_draft", before)
        return letter
    before = _snapshot(application)
    decide_now(application, outcome=outcome, other_agency=other_agency)
    letter = letter_create(
        application=application, kind="reply", actor=actor, outcome=outcome, reasons=reasons.strip(),
        provided_how=provided_how.strip(), withheld_parts=list(withheld_parts or []),
        other_agency_name=other_agency.strip(), scan_confirm=scan_confirm, **extra,
    )  # fmt: skip
    _save(application, actor, "application_decide", before)
    return letter


def reply_signoff(outcome: str) -> list[str]:
    """Who signs a reply with ``outcome`` off (rules.signoff_steps over the setting
    GONGKAI_LETTER_SIGNOFF; none by default)."""
    return signoff_steps(
        "reply", outcome, getattr(settings, "GONGKAI_LETTER_SIGNOFF", LETTER_SIGNOFF_DEFAULT)
    )


def decide_now(application: Application, *, outcome: str, other_agency: str = "") -> None:
    """The decision's state step: decided today with ``outcome`` (the caller saves)."""
    application.state = _transition(application, "decide")
    application.outcome = outcome
    application.decided_on = timezone.localdate()
    application.other_agency = other_agency.strip()


def withheld_parts_from_files(application: Application) -> list[tuple[str, str]]:
    """The withheld-parts list of a partial disclosure as the provided files' redactions give
    it (issue 17 item 3): per file and ground, the file, how many values and the ground; never
    a redacted value."""
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
