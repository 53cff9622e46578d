"""Check digits of the codes the platform accepts (catalogue.md, "Code checksums").

Pure functions, no database: the unified social credit code (GB 32100-2015), the
organisation code (GB 11714) and the resident identity number (GB 11643-1999).
"""

from datetime import date

from django.utils import timezone

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols, no I O S V Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_BODY = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def uscc_check_char(body17: str) -> str:
    """Check character for the first 17 characters of a unified social credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """True for an 18-character unified social credit code with a correct check character."""
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def org_code_check_char(body8: str) -> str:
    """Check character for the first 8 characters of an organisation code."""
    total = sum(ORG_BODY.index(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid_org_code(code: str) -> bool:
    """True for a 9-character organisation code (hyphen allowed before the check)."""
    code = code.replace("-", "")
    if len(code) != 9 or any(c not in ORG_BODY for c in code[:8]):
        return False
    return org_code_check_char(code[:8]) == code[8]


def is_valid_agency_code(code: str) -> bool:
    """Agencies are identified by a USCC or by the older organisation code."""
    return is_valid_uscc(code) or is_valid_org_code(code)


def org_code_of(code: str) -> str:
    """The 9-character organisation code inside a USCC (positions 9-17), or the code itself."""
    return code[8:17] if len(code) == 18 else code.replace("-", "")


def id_number_check_char(body17: str) -> str:
    """Check character of a resident identity number from its first 17 digits (ASCII 0-9)."""
    total = sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


ASCII_DIGITS = frozenset("0123456789")


def is_valid_id_number(number: str, *, today: date | None = None) -> bool:
    """18-character resident identity number: ASCII digits (``str.isdigit`` also passes "²" and
    "①", which ``int`` refuses), a region code other than 000000, a real birth date between 1900
    and ``today`` (default: today in the platform's time zone), and the check character."""
    number = number.upper()
    if len(number) != 18 or not set(number[:17]) <= ASCII_DIGITS:
        return False
    if number[17] not in ASCII_DIGITS and number[17] != "X":
        return False
    if number[:6] == "000000":
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > (today or timezone.localdate()):
        return False
    return id_number_check_char(number[:17]) == number[17]
