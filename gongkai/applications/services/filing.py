"""Filing (归档) of a closed case (issue 18 item 6). Closing a case files it: the case draws the
next 件号 of its agency and year under a row lock (gap-free, never reused), gets its 档号 by the
agency's rule (models/filing.py) and its 卷内目录, every document of the file in order, frozen
as filed. A filed case is read-only (``base._lock`` refuses) except for its remedy records.
"""

import re

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.core.audit import audit_record
from gongkai.core.retention import scrub_personal

from ..archive_numbers import archive_pattern_problem
from ..models import Application, ApplicationFile, CaseFiling, FilingRule, FilingSequence
from ..models.filing import DEFAULT_FILING_PATTERN, DEFAULT_RETENTION, Retention
from ..rules import ApplicationState, LetterStatus
from .base import ApplicationError, _require, can_approve, can_handle

CONTENTS_COLUMNS = ("序号", "文号", "责任者", "题名", "日期", "页数/件", "备注")
_SEQ = re.compile(r"\{seq(?::(\d+))?\}")


# --- the 档号 rule --------------------------------------------------------------------------


def archive_no_check(pattern: str) -> None:
    """Refuse a pattern with an unknown field or without {year} and {seq}: the number must be
    unique per agency, and the sequence restarts each year."""
    problem = archive_pattern_problem(pattern)
    if problem:
        raise ApplicationError(problem)


def archive_no_format(pattern: str, *, code: str, region: str, year: int, retention: str, seq: int) -> str:
    """The 档号 by ``pattern``; {seq:N} is the 件号 zero-padded to N digits."""
    archive_no_check(pattern)
    text = _SEQ.sub(lambda m: str(seq).zfill(int(m.group(1) or 0)), pattern)
    return text.format(code=code, region=region, year=year, retention=retention)


def filing_rule_for(agency: Agency) -> FilingRule:
    """The agency's rule, or the default (unsaved) when it set none."""
    rule = FilingRule.objects.filter(agency=agency).first()
    return rule or FilingRule(agency=agency, pattern=DEFAULT_FILING_PATTERN, retention=DEFAULT_RETENTION)


@transaction.atomic
def filing_rule_set(
    *,
    agency: Agency,
    pattern: str,
    actor,
    fonds_code: str = "",
    region: str = "",
    retention: str = DEFAULT_RETENTION,
) -> FilingRule:
    """Set how the agency numbers its filed cases (the office head). Cases already filed keep
    their numbers."""
    _require(can_approve(actor, agency))
    pattern = pattern.strip()
    archive_no_check(pattern)
    if retention not in Retention.values:
        raise ApplicationError(_("请选择保管期限。"))
    rule = FilingRule.objects.select_for_update().filter(agency=agency).first()
    before = {"pattern": rule.pattern, "fonds_code": rule.fonds_code, "region": rule.region,
              "retention": rule.retention} if rule else None  # fmt: skip
    rule = rule or FilingRule(agency=agency)
    rule.pattern, rule.fonds_code, rule.region, rule.retention = (
        pattern,
        fonds_code.strip(),
        region.strip(),
        retention,
    )
    rule.save()
    audit_record(actor=actor, action="filing_rule_set", obj=rule, before=before,
                 after={"pattern": pattern, "fonds_code": rule.fonds_code, "region": rule.region,
                        "retention": retention})  # fmt: skip
    return rule


def _next_seq(agency: Agency, year: int) -> int:
    """The next 件号 of the agency and year, under the sequence row's lock (gap-free: the
    transaction that draws it either files the case or rolls the number back)."""
    FilingSequence.objects.get_or_create(agency=agency, year=year)
    sequence = FilingSequence.objects.select_for_update().get(agency=agency, year=year)
    FilingSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return sequence.last + 1


# --- the 卷内目录 ----------------------------------------------------------------------------


def _day(value):
    if value is None:
        return None
    return timezone.localdate(value) if hasattr(value, "tzinfo") and hasattr(value, "hour") else value


def _pages(row: ApplicationFile) -> str:
    """页数 of a PDF, else one item (件)."""
    if row.content_type == "application/pdf":
        import pymupdf  # heavy: only when a case is filed, not at import time

        try:
            with row.file.open("rb") as handle, pymupdf.open(stream=handle.read(), filetype="pdf") as doc:
                return _("%(n)s页") % {"n": doc.page_count}
        except (FileNotFoundError, RuntimeError, ValueError):
            pass
    return _("1件")


# Where a document of a day stands among the others of that day: the application first, the
# delivery proofs of a letter after it.
_ORDER = {"application": 0, "intake": 1, "letter": 2, "answer": 3, "provided": 4, "delivery": 5, "receipt": 6}
# Files by kind value (scans of issue 18 item 3 included): what the applicant sent, what a
# third party wrote, the delivery proofs; the rest is what the agency provided.
_INTAKE_KINDS = {"identity_proof", "other", "letter_scan", "envelope", "oral_record"}
_FILE_PLACE = {"opinion": "answer", "delivery_receipt": "receipt"}


def case_contents(application: Application) -> list[dict]:
    """The 卷内目录: every document of the case in the order it came into the file, each with
    the standard columns. The applicant's name is not written into it (the 责任者 of what the
    applicant sent is "申请人"), so the retention period's anonymisation leaves it as it is."""
    a = application
    agency = a.agency.name
    applicant = _("申请人（%(type)s）") % {"type": a.get_applicant_type_display()}
    rows = [("application", _day(a.received_on) or _day(a.submitted_at), 0, {
        "文号": a.tracking_no, "责任者": applicant,
        "题名": _("政府信息公开申请（%(channel)s）") % {"channel": a.get_channel_display()},
        "页数/件": _("1件"), "备注": "",
    })]  # fmt: skip
    for f in a.files.order_by("created_at", "pk"):
        place = "intake" if f.kind in _INTAKE_KINDS else _FILE_PLACE.get(f.kind, "provided")
        note = _("仅内部") if f.kind == ApplicationFile.Kind.PROVIDED_ORIGINAL else ""
        by = {"intake": applicant, "answer": _("第三方")}.get(place, agency)
        rows.append((place, _day(f.created_at), f.pk, {
            "文号": "", "责任者": by,
            "题名": f"{f.get_kind_display()}：{f.title}", "页数/件": _pages(f), "备注": note,
        }))  # fmt: skip
    letters = a.letters.exclude(status=LetterStatus.DRAFT).order_by("created_at", "pk")
    letter_days = {letter.pk: _day(letter.signed_at or letter.created_at) for letter in letters}
    for letter in letters:
        note = _("已作废") if letter.status == LetterStatus.VOID else ""
        if letter.superseded_by_id:
            note = note or _("已被替代")
        rows.append(("letter", _day(letter.signed_at or letter.created_at), letter.pk, {
            "文号": letter.letter_no, "责任者": agency, "题名": letter.title, "页数/件": _("1件"), "备注": note,
        }))  # fmt: skip
    for c in a.consultations.filter(answered_on__isnull=False).order_by("answered_on", "pk"):
        rows.append(("answer", c.answered_on, c.pk, {
            "文号": "", "责任者": c.party_name,
            "题名": _("征求意见答复（%(answer)s）") % {"answer": c.get_answer_display()},
            "页数/件": _("1件"), "备注": "",
        }))  # fmt: skip
    # A proof names who signed (often the applicant) and free text typed by the clerk: the
    # 卷内目录 outlives the retention period, so the person's values are scrubbed from it.
    known = [
        getattr(a, f) for f in ("name", "id_number", "org_code", "contact_name", "phone", "email", "address")
    ]
    known += list(a.dispatches.exclude(signer="").values_list("signer", flat=True))
    for d in a.deliveries.select_related("letter").order_by("on", "pk"):
        title = d.letter.title if d.letter else ""
        # A delivery recorded with an earlier day than its letter's (entered afterwards) still
        # follows the letter: (sort day, shown day).
        after = max(d.on, letter_days.get(d.letter_id, d.on))
        rows.append(("delivery", (after, d.on), d.pk, {
            "文号": d.letter.letter_no if d.letter else "", "责任者": agency,
            "题名": _("送达凭证：%(title)s（%(method)s）") % {"title": title, "method": d.get_method_display()},
            "页数/件": _("1件"), "备注": scrub_personal(d.proof, known),
        }))  # fmt: skip
    rows = [(kind, on if isinstance(on, tuple) else (on, on), pk, row) for kind, on, pk, row in rows]
    rows.sort(key=lambda r: (r[1][0] or timezone.localdate(), _ORDER[r[0]], r[2]))
    return [
        {"序号": n, **row, "日期": shown.isoformat() if shown else ""}
        for n, (_kind, (_sort, shown), _pk, row) in enumerate(rows, start=1)
    ]


# --- filing ---------------------------------------------------------------------------------


def is_filed(application: Application) -> bool:
    return CaseFiling.objects.filter(application_id=application.pk).exists()


def _file(application: Application, actor) -> CaseFiling:
    rule = filing_rule_for(application.agency)
    year = (application.closed_on or timezone.localdate()).year
    seq = _next_seq(application.agency, year)
    archive_no = archive_no_format(
        rule.pattern, code=rule.fonds_code or application.agency.code, region=rule.region,
        year=year, retention=rule.retention, seq=seq,
    )  # fmt: skip
    filing = CaseFiling.objects.create(
        application=application, agency=application.agency, archive_no=archive_no, year=year, seq=seq,
        retention=rule.retention, contents=case_contents(application), filed_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="case_file", obj=application,
                 after={"archive_no": archive_no, "year": year, "seq": seq, "documents": len(filing.contents)})  # fmt: skip
    return filing


def file_on_close(application: Application, actor) -> CaseFiling | None:
    """File ``application`` as its closing service closes it (inside that service's transaction,
    after the state was saved); ``actor`` None is the platform itself (`gongkai remind`)."""
    if actor is not None:
        _require(can_handle(actor, application.agency))
    if application.state != ApplicationState.CLOSED or is_filed(application):
        return None
    return _file(application, actor)


@transaction.atomic
def case_file(*, application: Application, actor) -> CaseFiling:
    """File a closed case that is not filed yet (closed before filing existed, or imported)."""
    application = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
    _require(can_handle(actor, application.agency))
    if application.state != ApplicationState.CLOSED:
        raise ApplicationError(_("只有已办结的申请可以归档。"))
    if is_filed(application):
        raise ApplicationError(_("该申请已归档。"))
    return _file(application, actor)
