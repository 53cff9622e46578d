"""Confidentiality and privacy pre-scan (security.md: documents are scanned for personal data
before publication; regulation.md, Art. 17: 先审查、后公开).

``scan_text(text)`` finds secrecy marks (机密★5年, 内部资料…), resident ID numbers, unified social
credit codes, bank cards, mobile and landline numbers, passports, e-mail addresses, and — with low
confidence — names and addresses after their labels. ``scan_file(path)`` does the same for a
text, DOCX or PDF file. ``mask(kind, value)`` is the masked form shown in excerpts.
"""

from .engine import scan_text
from .files import ScanError, scan_file
from .findings import Confidence, Finding, Kind
from .masking import mask

__all__ = ["Confidence", "Finding", "Kind", "ScanError", "mask", "scan_file", "scan_text"]
