"""State changes of disclosure on application: one entry point each (STYLE.md, habit 3).

Each service checks the permission and the state, writes, records the clock event with its
legal basis, recomputes the stored due date (for sorting; "overdue" is derived on read) and
audits, in one transaction. Letters are frozen when created: what was sent can be shown again.

The services are split by concept into the modules of this package; this module re-exports
every public name (``from gongkai.applications.services import X`` keeps working). Reads are
in gongkai/applications/selectors.py (re-exported here for old callers).
"""

from ..selectors import (
    LOOKUP_WINDOW_SECONDS,
    LOOKUPS_PER_ADDRESS,
    application_find,
    clock_events,
    clock_state,
    lookup_allowed,
    similar_applications,
)
from .applicants import ApplicantFound, applicant_lookup
from .base import ApplicationError, Conflict, NotPermitted, RateLimited, can_approve, can_handle
from .clock_bridge import clock_refresh
from .consultations import (
    consultation_delivered,
    consultation_end,
    consultation_opinion_attach,
    consultation_start,
    extension_grant,
)
from .corrections import (
    application_file_add,
    correction_lateness,
    correction_receive,
    correction_request,
    correction_submit_by_applicant,
    excessive_later_date_set,
    excessive_reasons_request,
    late_correction_allowed,
)
from .decisions import application_decide, provided_file_add, withheld_parts_from_files
from .delivery import (
    NOTICE_RECEIPTS,
    ONLINE_RECEIPT_PROOF,
    delivery_receipt_attach,
    dispatch_signed_for,
    letter_deliver,
    letter_email,
    letter_post,
    notice_goes_online,
    notice_receipt_record,
)
from .fees import (
    application_matters_set,
    fee_notice_send,
    fee_pay,
    fee_waive,
    month_matters_before,
    same_applicant,
)
from .filing import (
    archive_no_format,
    case_contents,
    case_file,
    file_on_close,
    filing_rule_for,
    filing_rule_set,
    is_filed,
)
from .handling import (
    application_abandon,
    application_assign,
    application_link,
    application_merge,
    applications_assign,
)
from .intake import (
    INTAKE_SCAN_KINDS,
    QUERY_ALPHABET,
    QUERY_CODE_LENGTH,
    SUBMISSIONS_PER_ADDRESS_PER_HOUR,
    SUBMISSIONS_PER_IDENTITY_PER_DAY,
    Submitted,
    application_confirm_receipt,
    application_register,
    application_submit_online,
    oral_record_attach,
    query_code_digest,
)
from .items import item_add, item_record, item_remove, items_for_letter, items_outcome
from .letters import letter_context, letter_create, letter_rendered, letter_scan_check, remedy_missing_check
from .remedies import remedy_case_record, remedy_case_update
from .signoff import (
    can_sign,
    extension_propose,
    letter_edit,
    letter_reissue,
    letter_sign,
    letter_void,
    letters_awaiting,
    next_signoff,
)

__all__ = [
    "ApplicantFound",
    "applicant_lookup",
    "ApplicationError",
    "Conflict",
    "LOOKUPS_PER_ADDRESS",
    "LOOKUP_WINDOW_SECONDS",
    "NOTICE_RECEIPTS",
    "NotPermitted",
    "ONLINE_RECEIPT_PROOF",
    "QUERY_ALPHABET",
    "QUERY_CODE_LENGTH",
    "RateLimited",
    "SUBMISSIONS_PER_ADDRESS_PER_HOUR",
    "SUBMISSIONS_PER_IDENTITY_PER_DAY",
    "Submitted",
    "application_abandon",
    "archive_no_format",
    "case_contents",
    "case_file",
    "file_on_close",
    "filing_rule_for",
    "filing_rule_set",
    "is_filed",
    "application_assign",
    "applications_assign",
    "application_confirm_receipt",
    "application_decide",
    "application_file_add",
    "application_find",
    "application_link",
    "application_matters_set",
    "application_merge",
    "application_register",
    "application_submit_online",
    "can_approve",
    "can_handle",
    "clock_events",
    "clock_refresh",
    "clock_state",
    "consultation_delivered",
    "consultation_end",
    "consultation_opinion_attach",
    "delivery_receipt_attach",
    "dispatch_signed_for",
    "INTAKE_SCAN_KINDS",
    "letter_email",
    "letter_post",
    "oral_record_attach",
    "consultation_start",
    "correction_lateness",
    "correction_receive",
    "correction_request",
    "correction_submit_by_applicant",
    "excessive_later_date_set",
    "excessive_reasons_request",
    "extension_grant",
    "fee_notice_send",
    "fee_pay",
    "fee_waive",
    "item_add",
    "item_record",
    "item_remove",
    "items_for_letter",
    "items_outcome",
    "late_correction_allowed",
    "letter_context",
    "letter_create",
    "letter_deliver",
    "letter_edit",
    "letter_reissue",
    "letter_sign",
    "letter_void",
    "can_sign",
    "extension_propose",
    "next_signoff",
    "letters_awaiting",
    "letter_rendered",
    "letter_scan_check",
    "lookup_allowed",
    "month_matters_before",
    "notice_goes_online",
    "notice_receipt_record",
    "provided_file_add",
    "query_code_digest",
    "remedy_case_record",
    "remedy_case_update",
    "remedy_missing_check",
    "same_applicant",
    "similar_applications",
    "withheld_parts_from_files",
]
