"""Least privilege on applicants' personal data (security.md, "Personal information"; issue 10, §6).

The identity number, phone, e-mail, address and identity proofs of an applicant are masked for
every staff member by default, whatever their role (superusers included). Only the staff
handling the case may reveal them, one application at a time, with a reason; each reveal is an
audit event (``application_personal_data_reveal``) that names the reason and what was shown.

Who handles a case: the disclosure office head of the application's agency, and the clerk it is
assigned to or who registered it; while it is assigned to nobody (an online application not yet
confirmed), every clerk of that agency, one of whom will confirm it.

Also here: masking an applicant's values inside a text (a letter shown on the portal, a letter
in a masked case export), tolerant of the whitespace people type (repeated spaces, tabs,
non-breaking and ideographic spaces).
"""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from gongkai.agencies.access import roles_at
from gongkai.agencies.models import Role
from gongkai.core.audit import audit_record
from gongkai.core.scan.masking import mask

from .models import Application
from .rules import IdType

REVEAL_ACTION = "application_personal_data_reveal"
MAX_REASON_LENGTH = 300


class RevealRefused(Exception):
    """The user may not reveal this application's personal data, or gave no reason."""


class Shown:
    """What a reveal shows (the audit event says which)."""

    DETAILS = "details"  # identity number, phone, e-mail, address on the page
    IDENTITY_PROOF = "identity_proof"  # one identity-proof file
    CASE_EXPORT = "case_export"  # the whole-case zip with the full details and proofs


def may_reveal(user, application: Application) -> bool:
    """Whether ``user`` handles ``application`` and so may reveal its applicant's data."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = roles_at(user, application.agency_id)
    if Role.OFFICE_HEAD in roles:
        return True
    if Role.CLERK not in roles:
        return False
    if application.assigned_to_id is None and application.registered_by_id is None:
        return True  # nobody handles it yet: the agency's clerks, one of whom will confirm it
    return user.pk in (application.assigned_to_id, application.registered_by_id)


def personal_data_reveal(*, application: Application, actor, reason: str, shown: str, file=None) -> None:
    """Record that ``actor`` was shown ``application``'s personal data (``shown``), and why.
    Refused (RevealRefused) unless the actor handles the case and gives a reason."""
    reason = (reason or "").strip()
    if not may_reveal(actor, application):
        raise RevealRefused(_("只有本申请的承办人、登记人和公开办负责人可以查看申请人的完整信息。"))
    if not reason:
        raise RevealRefused(_("请填写查看完整信息的理由。"))
    if len(reason) > MAX_REASON_LENGTH:
        raise RevealRefused(_("理由不能超过 %(n)d 个字。") % {"n": MAX_REASON_LENGTH})
    after = {"shown": shown, "reason": reason}
    if file is not None:
        after["file"] = file.pk
    audit_record(actor=actor, action=REVEAL_ACTION, obj=application, after=after)


# --- masked values ------------------------------------------------------------------------------

_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


def masked_id_number(application: Application) -> str:
    """The applicant's ID number (or an organisation's public code) with its identifying part starred."""
    if application.id_number:
        kind = "passport" if application.id_type == IdType.PASSPORT else "id_number"
        return mask(kind, application.id_number)
    return application.org_code


def masked_phone(phone: str) -> str:
    if not phone:
        return ""
    digits = re.sub(r"[^0-9+]", "", phone)
    return mask("mobile" if _MOBILE.match(digits) else "landline", phone)


# --- masking values inside a text -----------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalise_spaces(value: str) -> str:
    """``value`` with every run of whitespace (tabs, non-breaking and ideographic spaces
    included) made one ordinary space, and none at the ends."""
    return _SPACES.sub(" ", value).strip()


def value_pattern(value: str) -> re.Pattern | None:
    """A pattern that finds ``value`` in a text whatever whitespace is in it, there or here: any
    run of whitespace or none between any two characters. "张  三" is found as "张 三",
    "张\\t三", "张\\xa0三" and "张三"; "李四" also as "李　四" (a two-character name padded to
    the width of three, as forms often print it)."""
    characters = _SPACES.sub("", value)
    if not characters:
        return None
    return re.compile(r"\s*".join(re.escape(c) for c in characters))


def mask_values(text: str, replacements: Iterable[tuple[str, str]]) -> str:
    """``text`` with each value replaced by its stand-in, the longest values first (so that a
    name inside an address is not replaced before the address)."""
    patterns = []
    for value, stand_in in replacements:
        pattern = value_pattern(value or "")
        if pattern is not None:
            patterns.append((len(_SPACES.sub("", value)), pattern, stand_in))
    for _length, pattern, stand_in in sorted(patterns, key=lambda item: -item[0]):
        text = pattern.sub(lambda _m, s=stand_in: s, text)
    return text
