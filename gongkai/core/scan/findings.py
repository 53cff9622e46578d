"""What the pre-scan reports: a kind of finding, where it is, and a masked excerpt."""

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of finding (interfaces.md, `gongkai scan`), most specific first: when two
    candidates cover the same characters, the one listed earlier wins."""

    ID_NUMBER = "id_number"  # 居民身份证号码
    USCC = "uscc"  # 统一社会信用代码
    BANK_CARD = "bank_card"  # 银行卡号
    MOBILE = "mobile"  # 手机号码
    LANDLINE = "landline"  # 固定电话
    PASSPORT = "passport"  # 护照号码
    EMAIL = "email"  # 电子邮箱
    SECRECY_MARK = "secrecy_mark"  # 密级标志、内部标注
    ADDRESS = "address"  # 住址
    PERSON_NAME = "person_name"  # 姓名


class Confidence(StrEnum):
    """HIGH: a checksum, a fixed format or an unambiguous marking. LOW: a cue-based guess
    (names, addresses, numbers without a checksum) that a reviewer should look at. PUBLIC: a
    value that is public by nature (a company's credit code), not personal data; reported only
    when ``scan_text(..., public=True)`` asks for it, never something to settle."""

    HIGH = "high"
    LOW = "low"
    PUBLIC = "public"


KIND_RANK = {kind: rank for rank, kind in enumerate(Kind)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding. ``start``/``end`` are character offsets into the scanned text; ``text`` is
    the full value (kept out of repr so it never reaches a log); ``excerpt`` is safe to show."""

    kind: Kind
    start: int
    end: int
    text: str = field(repr=False)
    excerpt: str
    confidence: Confidence
