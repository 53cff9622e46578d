"""Confidentiality and privacy pre-scan (security.md: documents are scanned for personal data
before publication; regulation.md, Art. 17: 先审查、后公开).

``scan_text(text)`` finds secrecy marks (机密★5年, 内部资料…), resident ID numbers, unified social
credit codes, bank cards, mobile and landline numbers, passports, e-mail addresses, and — with low
confidence — names and addresses after their labels. ``scan_file(path)`` does the same for a
text, DOCX or PDF file. ``mask(kind, value)`` is the masked form shown in excerpts.
``scan_text(text, known=values)`` leaves out findings of values known to be public (an agency's
own telephone, e-mail, address); ``drop_known(findings, values)`` does the same to a list of
findings. A company's credit code is not personal data and is reported only with
``public=True``. ``finding_key(kind, value)`` is what makes two spellings one value.
"""

from .engine import scan_text
from .files import ScanError, scan_file
from .findings import Confidence, Finding, Kind
from .known import KnownValues, drop_known, finding_key
from .masking import mask

__all__ = [
    "Confidence",
    "Finding",
    "Kind",
    "KnownValues",
    "ScanError",
    "drop_known",
    "finding_key",
    "mask",
    "scan_file",
    "scan_text",
]
