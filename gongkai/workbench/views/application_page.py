"""The application page: the whole file in one place (form, clock with its explanation, letters,
deliveries, fees, files, cases) and the action forms the user may use. Action views re-render it
with their bound form when something is wrong, so nothing typed is lost."""

from django.utils import timezone

from gongkai.agencies.access import roles_at
from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.clock import ClockError, EventKind
from gongkai.applications.models import Application, CaseFiling
from gongkai.applications.personal_data import may_reveal
from gongkai.applications.rules import (
    CASE_ACTION_GROUPS,
    CASE_ACTIONS,
    NEXT_STEP_GROUP,
    OPEN_STATES,
    ApplicationState,
    case_action_allowed,
)
from gongkai.applications.selectors import clock_state
from gongkai.applications.services import can_approve, can_handle, next_signoff
from gongkai.applications.services.filing import CONTENTS_COLUMNS
from gongkai.core.scan.masking import mask

from .. import selectors_applications as selectors
from ..forms_applications import (
    AssignForm,
    CaseForm,
    CaseResultForm,
    ConfirmForm,
    ConsultDeliveredForm,
    ConsultEndForm,
    ConsultForm,
    CorrectionForm,
    CorrectionReceiveForm,
    DecideForm,
    DeliverForm,
    ExcessiveLaterDateForm,
    ExcessiveReasonsForm,
    ExtensionForm,
    FeeNoticeForm,
    FeePayForm,
    FeeWaiveForm,
    ItemAddForm,
    ItemRecordForm,
    LinkForm,
    MattersForm,
    MergeForm,
    ProvidedFileForm,
    TransferForm,
)
from ..reveal import REVEAL_MINUTES, REVEAL_PREFIX, blank_reveal_form, reveal_reason
from .common import page

ROLE_LABELS = dict(Role.choices)

# The query code of the application registered last in this session: {"pk", "code", "shown"}.
# The page shows it once; the receipt (which prints it) can be had until the session ends.
QUERY_CODE_SESSION_KEY = "application_query_code"

# Where each action can happen (the services check again and refuse with a reason).
DECIDABLE = (ApplicationState.RECEIVED, ApplicationState.AWAITING_CORRECTION)
FILES_ADDABLE = (ApplicationState.RECEIVED, ApplicationState.AWAITING_CORRECTION, ApplicationState.DECIDED)
MERGEABLE = (ApplicationState.SUBMITTED, ApplicationState.RECEIVED)


def consultation_prefix(pk: int) -> str:
    return f"consultation-{pk}"


def consultation_delivered_prefix(pk: int) -> str:
    return f"consultation-{pk}-delivered"


def fee_pay_prefix(pk: int) -> str:
    return f"fee-{pk}-pay"


def fee_waive_prefix(pk: int) -> str:
    return f"fee-{pk}-waive"


def letter_prefix(pk: int) -> str:
    return f"letter-{pk}"


def case_result_prefix(pk: int) -> str:
    return f"remedy-{pk}"


def session_query_code(request, application: Application) -> str:
    """The query code of ``application`` if it was registered in this session, else ""."""
    held = request.session.get(QUERY_CODE_SESSION_KEY)
    return held["code"] if held and held.get("pk") == application.pk else ""


def _applicant(application: Application, full: bool) -> dict:
    """The applicant's details: masked for everyone, in full only while a reveal by the staff
    handling the case holds (application_reveal.py)."""
    a = application
    if full:
        return {
            "id_number": a.id_number or a.org_code,
            "phone": a.phone,
            "email": a.email,
            "address": a.address,
        }
    return {
        "id_number": selectors.masked_id(a),
        "phone": selectors.masked_phone(a.phone),
        "email": mask("email", a.email) if a.email else "",
        "address": mask("address", a.address) if a.address else "",
    }


def _permissions(user, application: Application, clock, file) -> dict:
    handle = can_handle(user, application.agency)
    approve = can_approve(user, application.agency)
    state = application.state
    corrected = any(e.kind == EventKind.CORRECTION_REQUESTED for e in file.events)  # once only (Art. 30)
    return {
        "handle": handle,
        "approve": approve,
        "confirm": handle and state == ApplicationState.SUBMITTED,
        "correction": handle and state == ApplicationState.RECEIVED and not corrected,
        "correction_receive": handle
        and (
            state == ApplicationState.AWAITING_CORRECTION
            # a late notice (Art. 30 window passed) left the application in hand
            or (state == ApplicationState.RECEIVED and clock is not None and clock.correction_outstanding)
        ),
        "consult": handle and state == ApplicationState.RECEIVED,
        "extend": approve and state == ApplicationState.RECEIVED,
        "excessive": handle
        and state == ApplicationState.RECEIVED
        and not any(e.kind == EventKind.EXCESSIVE_REASONS_REQUESTED for e in file.events),
        "later": approve
        and state == ApplicationState.RECEIVED
        and any(e.kind == EventKind.EXCESSIVE_REASONS_REQUESTED for e in file.events),
        "fee": handle and state == ApplicationState.RECEIVED,
        "matters": handle and state == ApplicationState.RECEIVED and not file.fees,
        "decide": handle and state in DECIDABLE,
        "provide": handle and state in FILES_ADDABLE,
        "deliver": handle and state not in (ApplicationState.MERGED, ApplicationState.SUBMITTED),
        "merge": handle and state in MERGEABLE,
        "case": handle and state != ApplicationState.MERGED,
        "assign": handle and state in OPEN_STATES,
        "link": handle,
        "abandon": handle and state in DECIDABLE and clock is not None and clock.abandoned is not None,
        "export": selectors.is_agency_staff(user, application.agency),
        # Letters as drafts (issue 18 item 2): a clerk proposes, the office head extends.
        "propose_extension": handle and not approve and state == ApplicationState.RECEIVED,
        "roles": roles_at(user, application.agency),
    }


def _state_allows(can: dict, application: Application) -> dict:
    """The actions the case's state allows (rules.CASE_ACTIONS, from the state machine), of
    those the user may take; a filed case (归档) takes none but its remedy records."""
    state = application.state
    filed = CaseFiling.objects.filter(application=application).exists()
    can = {
        key: value if key == "roles" else value and case_action_allowed(key, state)
        for key, value in can.items()
    }
    can["file"] = can["handle"] and state == ApplicationState.CLOSED and not filed
    if filed:
        can.update({key: False for key in (*CASE_ACTIONS, "provide", "link") if key in can})
    return can


def _action_groups(application: Application, can: dict, show: dict, file, bound: dict) -> list[dict]:
    """The action panel's groups (rules.CASE_ACTION_GROUPS) with how many actions each offers
    now; the group of the state's next step is open, as is one holding a form just sent back
    with errors; the others are folded (<details>)."""
    visible = {
        **{key: show.get(key, False) for key in ("confirm", "decide", "correction", "correction_receive",
                                                 "consult", "excessive", "later", "fee", "matters", "merge",
                                                 "assign")},
        "transfer": show.get("transfer", False),
        "extend": show.get("extension", False),
        "abandon": can.get("abandon", False),
        "propose_extension": can.get("propose_extension", False),
        "file": can.get("file", False),
        "deliver": any(getattr(letter, "show_deliver", False) and not letter.delivered for letter in file.letters),
    }  # fmt: skip
    group_of = {key: group for key, (group, _states) in CASE_ACTIONS.items()} | {"transfer": "handle"}
    sent = {group_of.get("extend" if prefix == "extension" else prefix) for prefix in bound}
    groups = []
    for key, label in CASE_ACTION_GROUPS:
        count = sum(1 for action, shown in visible.items() if shown and group_of.get(action) == key)
        is_open = key == NEXT_STEP_GROUP.get(application.state) or key in sent
        groups.append({"key": key, "label": label, "count": count, "open": is_open})
    return groups


def _decide_initial(application: Application) -> dict:
    """The decision form as first shown: the provided files' redactions with their grounds
    already in the withheld parts (issue 18 item 7), one "part｜ground" line each, so nothing
    is typed twice; the service lists each of them once whether kept or not."""
    parts = services.withheld_parts_from_files(application)
    lines = [f"{part.replace('｜', '/').replace('|', '/')}｜{ground}" for part, ground in parts]
    return {"version": application.version, "withheld_parts": "\n".join(lines)}


def _versioned(form_class):
    return lambda a: form_class(initial={"version": a.version})


def _blank(form_class):
    return lambda a: form_class()


# Each page-wide action form: (its prefix, the ``can`` key that offers it, the ``can`` key of
# the permission it needs at all, how to make it blank). Its context name is "<prefix>_form".
ACTION_FORMS = [
    ("confirm", "confirm", "handle", _versioned(ConfirmForm)),
    ("correction", "correction", "handle", _blank(CorrectionForm)),
    ("correction_receive", "correction_receive", "handle", _blank(CorrectionReceiveForm)),
    ("consult", "consult", "handle", _blank(ConsultForm)),
    ("extension", "extend", "approve", _blank(ExtensionForm)),
    ("excessive", "excessive", "handle", _blank(ExcessiveReasonsForm)),
    ("later", "later", "approve", _blank(ExcessiveLaterDateForm)),
    ("fee", "fee", "handle", _blank(FeeNoticeForm)),
    ("matters", "matters", "handle",
     lambda a: MattersForm(initial={"matters": a.matters, "reason": a.matters_reason, "co_applicants": a.co_applicants})),
    ("decide", "decide", "handle", lambda a: DecideForm(initial=_decide_initial(a))),
    ("transfer", "decide", "handle", _versioned(TransferForm)),
    # 分项答复 (issue 18 item 5, views/application_items.py): split, then each item's outcome.
    ("item", "decide", "handle", _blank(ItemAddForm)),
    ("item_record", "decide", "handle", lambda a: ItemRecordForm(application=a)),
    ("provided", "provide", "handle", _blank(ProvidedFileForm)),
    ("merge", "merge", "handle", _blank(MergeForm)),
    ("case", "case", "handle", _blank(CaseForm)),
    ("assign", "assign", "handle",
     lambda a: AssignForm(agency=a.agency, initial={"assignee": a.assigned_to_id})),
    ("link", "link", "handle", _blank(LinkForm)),
]  # fmt: skip


def _action_forms(application: Application, can: dict, bound: dict) -> tuple[dict, dict]:
    """Blank forms, or the one the user just sent; ``show`` (by prefix) says which the page
    shows. A form that was sent stays shown even when its action is no longer offered (a
    colleague acted first, or it was done already), so what was typed is not lost with the
    refusal."""
    forms, show = {}, {}
    for prefix, offered, needs, blank in ACTION_FORMS:
        sent = bound.get(prefix)
        forms[f"{prefix}_form"] = sent if sent is not None else blank(application)
        show[prefix] = can[offered] or (sent is not None and can[needs])
    return forms, show


def _attach_item_forms(file, bound: dict, can: dict) -> None:
    """Per-item forms (a consultation's answer, a fee's payment or waiver, a letter's delivery,
    a case's result), bound when the user just sent one of them; a sent form stays shown with
    its refusal even when the item no longer takes it."""
    for c in file.consultations:
        prefix = consultation_prefix(c.pk)
        c.end_form = bound.get(prefix)
        if c.end_form is None and c.answered_on is None:
            c.end_form = ConsultEndForm(prefix=prefix)
        c.show_end = can["handle"] and c.end_form is not None
        sent = bound.get(consultation_delivered_prefix(c.pk))
        c.delivered_form = sent or ConsultDeliveredForm(prefix=consultation_delivered_prefix(c.pk))
        c.show_delivered = can["handle"] and (
            sent is not None or (c.answered_on is None and c.party_received_on is None)
        )
    for f in file.fees:
        f.is_open = not (f.paid_on or f.waived)
        sent_pay, sent_waive = bound.get(fee_pay_prefix(f.pk)), bound.get(fee_waive_prefix(f.pk))
        f.pay_form = sent_pay or FeePayForm(
            prefix=fee_pay_prefix(f.pk),
            initial={"amount": f.waived_to if f.waived_to is not None else f.amount},
        )
        f.waive_form = sent_waive or FeeWaiveForm(prefix=fee_waive_prefix(f.pk))
        f.show_pay = can["handle"] and (f.is_open or sent_pay is not None)
        f.show_waive = can["approve"] and (f.is_open or sent_waive is not None)
    for letter in file.letters:
        prefix = letter_prefix(letter.pk)
        sent = bound.get(prefix)
        letter.deliver_form = sent or DeliverForm(prefix=prefix)
        letter.delivered = bool(letter.deliveries.all())
        letter.show_deliver = letter.status == "signed" and (
            can["deliver"] or (sent is not None and can["handle"])
        )
        letter.awaiting = next_signoff(letter)  # the role the draft waits for (views/signoff.py)
        letter.may_sign = letter.awaiting in can["roles"]
        letter.awaiting_label = ROLE_LABELS.get(letter.awaiting, "")
    for case in file.cases:
        prefix = case_result_prefix(case.pk)
        sent = bound.get(prefix)
        case.result_form = sent or CaseResultForm(prefix=prefix)
        case.show_result = can["handle"] and (not case.result or sent is not None)


def render_application(
    request,
    application: Application,
    *,
    forms: dict | None = None,
    conflict: str = "",
    error: str = "",
    status=200,
):
    """The application page for ``request.user``; ``forms`` replaces blank action forms by the
    ones the user just sent (keyed by prefix, with their errors)."""
    user, today = request.user, timezone.localdate()
    bound = forms or {}
    file = selectors.application_file(application)
    clock, clock_error = None, ""
    try:
        clock = clock_state(application, today=today)
    except ClockError as exc:  # recorded events the engine refuses: say so, never hide the page
        clock_error = str(exc)
    can = _state_allows(_permissions(user, application, clock, file), application)
    action_forms, show = _action_forms(application, can, bound)
    _attach_item_forms(file, bound, can)
    filing = CaseFiling.objects.filter(application=application).first()
    for event in file.events:
        event.label = selectors.EVENT_LABELS.get(event.kind, event.kind)
    for c in file.consultations:  # ran out unanswered: the pause ended by itself
        c.lapsed_on = clock.consultations_lapsed.get(str(c.pk)) if clock else None
        c.show_delivered = c.show_delivered and (c.lapsed_on is None or c.delivered_form.is_bound)
    correction_lateness = services.correction_lateness(application, today) if can["correction"] else ""
    full = reveal_reason(request, application) is not None
    receipt_code = session_query_code(request, application)
    show_code = False
    if receipt_code and not request.session[QUERY_CODE_SESSION_KEY].get("shown"):
        show_code = True  # shown once, as on the portal; the receipt stays for this session
        request.session[QUERY_CODE_SESSION_KEY] = {**request.session[QUERY_CODE_SESSION_KEY], "shown": True}
    similar = selectors.similar_for(application, today)
    related = {r.pk for r in file.related}
    for item in similar.applications:
        item.is_related = item.pk in related
    context = {
        "application": application,
        "applicant": _applicant(application, full),
        "full_details": full,
        "can_reveal": may_reveal(user, application) and not application.anonymised_at,
        "reveal_form": bound.get(REVEAL_PREFIX) or blank_reveal_form(),
        "reveal_minutes": REVEAL_MINUTES,
        "file": file,
        "clock": clock,
        "clock_error": clock_error,
        "correction_lateness": correction_lateness,
        "late_correction_allowed": services.late_correction_allowed(),
        # Remedy facts the reply letters must name and the agency has not recorded: the decision
        # would be refused (services.remedy_missing_check), so the page says so beforehand.
        "remedy_missing": application.agency.remedy_missing() if show.get("decide") else [],
        "is_overdue": selectors.decorate([application], today)[0].is_overdue,
        "similar": similar,
        "can": can,
        "show": show,
        "query_code": receipt_code if show_code else "",
        "receipt_available": bool(receipt_code),
        "conflict": conflict,
        "error": error,
        "filing": filing,
        "filing_rows": [
            [row.get(c, "") for c in CONTENTS_COLUMNS] for row in (filing.contents if filing else [])
        ],
        "action_groups": _action_groups(application, can, show, file, bound),
        **action_forms,
    }
    return page(request, "workbench/applications/detail.html", context, status=status)
