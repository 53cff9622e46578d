"""The case file of an application (Art. 45: the office keeps the application, receipts,
notices, consultations, letters and delivery proofs) as a summary for the export: the domain's
account of one application, as data (``case_file_summary``) and as text for people
(``case_file_text``). The workbench packs it into a zip with the letters and files."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.scan.masking import mask

from .clock import ClockError, EventKind
from .models import Application
from .personal_data import mask_values, masked_id_number, masked_phone
from .selectors import clock_state

EVENT_LABELS = {
    EventKind.RECEIVED: _("收到申请"),
    EventKind.CORRECTION_REQUESTED: _("告知补正"),
    EventKind.CORRECTION_RECEIVED: _("收到补正"),
    EventKind.CONSULTATION_STARTED: _("征求意见开始"),
    EventKind.CONSULTATION_DELIVERED: _("被征求意见方收到"),
    EventKind.CONSULTATION_ENDED: _("征求意见结束"),
    EventKind.CORRECTION_NOTICE_RECEIVED: _("申请人收到补正告知"),
    EventKind.FEE_NOTICE_RECEIVED: _("申请人收到收费通知"),
    EventKind.FEE_NOTICE_SENT: _("发出收费通知"),
    EventKind.FEE_PAID: _("缴费"),
    EventKind.FEE_WAIVED: _("减免费用"),
    EventKind.EXTENDED: _("延期答复"),
    EventKind.EXCESSIVE_REASONS_REQUESTED: _("要求说明理由"),
    EventKind.EXCESSIVE_LATER_DATE: _("确定延后答复期限"),
}


APPLICANT_FIELDS = (
    "name", "id_type", "id_number", "org_code", "contact_name", "phone", "email", "address", "postcode",
)  # fmt: skip
REQUEST_FIELDS = ("description", "doc_no", "purpose", "form", "delivery")


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _user(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _label(instance, name: str) -> str:
    display = getattr(instance, f"get_{name}_display", None)
    return display() if display else getattr(instance, name)


PERSONAL_FIELDS = ("id_number", "contact_name", "phone", "email", "address", "postcode")


def masked_applicant(a: Application) -> dict:
    values = {name: _label(a, name) for name in APPLICANT_FIELDS}
    values.update(
        id_number=masked_id_number(a) if a.id_number else "",
        phone=masked_phone(a.phone),
        email=mask("email", a.email) if a.email else "",
        address=mask("address", a.address) if a.address else "",
        postcode=(a.postcode[:2] + "*" * (len(a.postcode) - 2)) if a.postcode else "",
    )
    return values


def letter_text(letter, application: Application, full: bool) -> list[str]:
    if full:
        return list(letter.paragraphs)
    stand_ins = [(getattr(application, name), "***") for name in PERSONAL_FIELDS if name != "contact_name"]
    return [mask_values(str(p), stand_ins) for p in letter.paragraphs]


def case_file_summary(
    application: Application,
    file,
    letter_paths: dict,
    file_paths: dict,
    *,
    full: bool = True,
    withheld=frozenset(),
) -> dict:
    """The case file's summary (Art. 45: the application, every clock event with its basis,
    consultations, fees, letters, deliveries, files and cases; no hashes or query codes).
    ``file`` holds the case's rows (``events``, ``consultations``, ``fees``, ``letters``,
    ``deliveries``, ``files``, ``cases``, ``merged``, ``related``); ``letter_paths`` and
    ``file_paths`` name where each letter and file lies in the export (None: not included).
    Unless ``full``, the applicant's identifying details are masked in it and in the letters'
    text; ``withheld`` are the files left out on purpose."""
    a = application
    try:
        clock = clock_state(a)
        steps, explanation = list(clock.steps), clock.due_explanation
    except ClockError as exc:
        steps, explanation = [], str(exc)
    return {
        "tracking_no": a.tracking_no,
        "agency": a.agency.name,
        "channel": a.get_channel_display(),
        "applicant_type": a.get_applicant_type_display(),
        "applicant": {name: _label(a, name) for name in APPLICANT_FIELDS} if full else masked_applicant(a),
        "personal_data": "full" if full else "masked",
        "request": {name: _label(a, name) for name in REQUEST_FIELDS},
        "state": a.get_state_display(),
        "submitted_at": timezone.localtime(a.submitted_at).isoformat(),
        "received_on": _date(a.received_on),
        "reply_due_on": _date(a.reply_due_on),
        "due_provisional": a.due_provisional,
        "outcome": a.get_outcome_display() if a.outcome else "",
        "decided_on": _date(a.decided_on),
        "closed_on": _date(a.closed_on),
        "anonymised_at": timezone.localtime(a.anonymised_at).isoformat() if a.anonymised_at else None,
        "other_agency": a.other_agency,
        "fee_yuan": str(a.fee_yuan),
        "registered_by": _user(a.registered_by),
        "assigned_to": _user(a.assigned_to),
        "merged_into": a.merged_into.tracking_no if a.merged_into else None,
        "merged": [m.tracking_no for m in file.merged],
        "related": [r.tracking_no for r in file.related],
        "clock": {"steps": steps, "due_explanation": explanation},
        "clock_events": [
            {
                "event": str(EVENT_LABELS.get(e.kind, e.kind)),
                "on": _date(e.on),
                "days": e.days,
                "until": _date(e.until),
                "basis": e.basis,
                "note": e.note,
                "by": _user(e.actor),
                "recorded_at": timezone.localtime(e.at).isoformat(),
            }
            for e in file.events
        ],
        "consultations": [
            {
                "party": c.get_party_display(),
                "party_name": c.party_name,
                "started_on": _date(c.started_on),
                "answer_due_on": _date(c.answer_due_on),
                "answered_on": _date(c.answered_on),
                "answer": c.get_answer_display(),
                "reasons": c.reasons,
            }
            for c in file.consultations
        ],
        "fees": [
            {
                "method": f.method,
                "amount": str(f.amount),
                "basis": f.basis,
                "sent_on": _date(f.sent_on),
                "pay_by": _date(f.pay_by),
                "paid_on": _date(f.paid_on),
                "paid_amount": str(f.paid_amount) if f.paid_amount is not None else None,
                "receipt_no": f.receipt_no,
                "waived": f.waived,
                "waived_to": str(f.waived_to) if f.waived_to is not None else None,
                "waiver_approved_by": _user(f.waiver_approved_by),
                "refunded_amount": str(f.refunded_amount),
            }
            for f in file.fees
        ],
        "letters": [
            {
                "title": letter.title,
                "letter_no": letter.letter_no,
                "kind": letter.kind,
                "created_at": timezone.localtime(letter.created_at).isoformat(),
                "created_by": _user(letter.created_by),
                "superseded": letter.superseded_by_id is not None,
                "pdf": letter_paths[letter.pk],
                "text": letter_text(letter, a, full),
            }
            for letter in file.letters
        ],
        "deliveries": [
            {
                "letter": d.letter.title if d.letter else "",
                "letter_no": d.letter.letter_no if d.letter else "",
                "method": d.get_method_display(),
                "on": _date(d.on),
                "proof": d.proof,
                "by": _user(d.actor),
            }
            for d in file.deliveries
        ],
        "files": [
            {
                "kind": f.get_kind_display(),
                "title": f.title,
                "content_type": f.content_type,
                "size": f.size,
                "added_at": timezone.localtime(f.created_at).isoformat(),
                "path": file_paths.get(f.pk),
                **({"withheld": True} if f.pk in withheld else {}),
            }
            for f in file.files
        ],
        "cases": [
            {
                "kind": c.get_kind_display(),
                "filed_on": _date(c.filed_on),
                "decided_on": _date(c.decided_on),
                "result": c.get_result_display() if c.result else "",
                "note": c.note,
            }
            for c in file.cases
        ],
        "exported_at": timezone.localtime().isoformat(),
    }


def case_file_text(summary: dict) -> str:
    """The summary for people: one ``key: value`` line each, lists indented beneath."""
    lines = [f"政府信息公开申请案卷 {summary['tracking_no']}", ""]

    def walk(value, indent: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, dict | list):
                    lines.append(f"{indent}{key}:")
                    walk(item, indent + "  ")
                else:
                    lines.append(f"{indent}{key}: {'' if item is None else item}")
        elif isinstance(value, list):
            for n, item in enumerate(value, start=1):
                if isinstance(item, dict | list):
                    lines.append(f"{indent}- {n}")
                    walk(item, indent + "  ")
                else:
                    lines.append(f"{indent}- {item}")

    walk(summary, "")
    return "\n".join(lines) + "\n"
