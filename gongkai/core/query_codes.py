"""Query codes (查询码): the secret an applicant or complainant holds to follow their case.

A code is 8 random characters from a 31-symbol alphabet (about 40 bits). What is stored is a
keyed HMAC-SHA256 of it, with a key that is not in the database (``GONGKAI_QUERY_CODE_KEY``;
derived from ``SECRET_KEY`` when unset, which is for development only and refused by
``check --deploy`` in production). Without the key a stolen database cannot be searched for
codes offline; with it a lookup costs microseconds, so a flood of lookups is no CPU attack
(the PBKDF2 hashes used before cost 0.26 s each).

Hashes written before (Django's ``pbkdf2_sha256$...`` format) keep verifying; a successful
lookup tells the caller to store the new form instead (``QueryCodeCheck.upgrade``).
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password
from django.utils.crypto import constant_time_compare

PREFIX = "hmac_sha256$"
_DERIVATION_LABEL = b"gongkai.query-code.v1"


def normalise(code: str) -> str:
    """Codes are typed by people: surrounding spaces and letter case do not matter."""
    return code.strip().upper()


def _key() -> bytes:
    configured = getattr(settings, "GONGKAI_QUERY_CODE_KEY", "") or ""
    if configured:
        return configured.encode()
    # Development default: a key derived from SECRET_KEY (never SECRET_KEY itself).
    return hmac.new(settings.SECRET_KEY.encode(), _DERIVATION_LABEL, hashlib.sha256).digest()


def query_code_hash(code: str) -> str:
    """The stored form of ``code``: ``hmac_sha256$<hex>``."""
    return PREFIX + hmac.new(_key(), normalise(code).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class QueryCodeCheck:
    matches: bool
    upgrade: str | None = None  # the new hash to store in place of a legacy one


def query_code_check(code: str, stored: str) -> QueryCodeCheck:
    """Whether ``code`` is the code behind ``stored`` (compared in constant time). An unusable
    or anonymised hash (``!...``) never matches."""
    if stored.startswith(PREFIX):
        return QueryCodeCheck(constant_time_compare(query_code_hash(code), stored))
    if not stored or stored.startswith("!"):
        query_code_hash(code)  # the same work as a real comparison
        return QueryCodeCheck(False)
    # A hash from before the keyed HMAC (Django's PBKDF2 by default): slow, kept working
    # whatever PASSWORD_HASHERS says today (it governs staff passwords, not query codes).
    try:
        if stored.startswith(PBKDF2PasswordHasher.algorithm + "$"):
            matches = PBKDF2PasswordHasher().verify(normalise(code), stored)
        else:
            matches = check_password(normalise(code), stored)
    except (ValueError, TypeError):  # a malformed stored value
        matches = False
    return QueryCodeCheck(True, upgrade=query_code_hash(code)) if matches else QueryCodeCheck(False)


def query_code_miss(code: str) -> None:
    """The work of a comparison, for an unknown tracking number: timing says nothing."""
    query_code_hash(code)
