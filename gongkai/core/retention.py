"""How long personal data is kept, and the shared means of removing it (security.md, "Personal
information": kept for a configurable period, then anonymised by command, statistics intact).

The period is ``GONGKAI_PERSONAL_DATA_RETENTION_YEARS`` (default 5), counted from the day an
application was closed or a complaint answered. Five years because that is the longest time in
which the reply can still be challenged: Art. 46(2) of the Administrative Litigation Law bars a
suit brought more than five years after the administrative act (other than one about real
property), and reconsideration (60 days) and ordinary litigation (6 months) end well before. Until
then the agency may need to show who applied and what they were told; after it, nothing in the
Regulation needs the applicant's identity, and the annual report and statistics need only the
facts that anonymisation keeps. Local archive rules may require longer: the period is a setting.

The domain apps do the anonymising (``applications.retention``, ``complaints.retention``,
``assessment.retention``); this module holds what they share: the cut-off date, the marker
written in place of a name, the scrubbing of free text and the deletion of files on commit.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .scan.engine import scan_text
from .scan.findings import Confidence, Kind

DEFAULT_RETENTION_YEARS = 5
# Written into fields that must not be empty (a name); pages show it translated for every
# blanked field. A stored value, not a message: it stays the same whatever the language.
ANONYMISED = "（已按保存期限匿名化）"
# What replaces a person's data inside free text that is kept (a description, a note).
SCRUBBED = "〔个人信息已删除〕"
# A query-code hash no code matches (Django's "unusable password" prefix): the progress page
# and the API answer "not found" for an anonymised record, as for a wrong code.
UNUSABLE_CODE_HASH = "!anonymised"
# Kinds of pre-scan finding that identify a person (USCC and secrecy marks do not).
PERSONAL_KINDS = frozenset(
    {Kind.ID_NUMBER, Kind.BANK_CARD, Kind.MOBILE, Kind.LANDLINE, Kind.PASSPORT, Kind.EMAIL, Kind.PERSON_NAME}
)


class RetentionError(Exception):
    """A refusal with a message for the operator (the command prints it)."""


def retention_years() -> int:
    """The configured period in whole years (at least 1: a reply can be challenged for months)."""
    years = int(getattr(settings, "GONGKAI_PERSONAL_DATA_RETENTION_YEARS", DEFAULT_RETENTION_YEARS))
    if years < 1:
        raise RetentionError(
            f"GONGKAI_PERSONAL_DATA_RETENTION_YEARS is {years}; it must be at least 1 (years)"
        )
    return years


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(*, today: date | None = None, before: date | None = None) -> date:
    """Records closed strictly before this day are past the retention period (Asia/Shanghai
    dates). ``before`` may move the cut-off earlier, never later: the setting is the period."""
    cutoff = years_before(today or timezone.localdate(), retention_years())
    if before is not None and before > cutoff:
        raise RetentionError(
            f"--before {before.isoformat()} is inside the retention period; the latest allowed is "
            f"{cutoff.isoformat()} (GONGKAI_PERSONAL_DATA_RETENTION_YEARS={retention_years()})"
        )
    return before or cutoff


def scrub_personal(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with the known values (the person's name, numbers, address) and what the
    pre-scan is sure identifies someone (ID, phone and card numbers, e-mail addresses) replaced
    by a marker. Names the scan only guesses at stay: free text is kept for its substance."""
    if not text:
        return text
    for value in sorted({v.strip() for v in known if v and len(v.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(value, SCRUBBED)
    spans = [
        (f.start, f.end)
        for f in scan_text(text)
        if f.kind in PERSONAL_KINDS and f.confidence == Confidence.HIGH
    ]
    for start, end in reversed(spans):
        text = text[:start] + SCRUBBED + text[end:]
    return re.sub(f"(?:{re.escape(SCRUBBED)})+", SCRUBBED, text)


def delete_files_on_commit(storage, names: Iterable[str]) -> None:
    """Delete stored files once the current transaction commits (never before: a rollback
    keeps rows and files together). A crash in between leaves orphans for the next sweep."""
    names = [n for n in names if n]
    for name in names:  # one callback each: a failed delete does not keep the others
        transaction.on_commit(lambda name=name: storage.delete(name), robust=True)


@dataclass
class RetentionResult:
    """What a run anonymised of one kind of record (or would, in a dry run): references that
    identify the record (tracking numbers, ids), never the person, and the files deleted."""

    records: list[str] = field(default_factory=list)
    files: int = 0

    def as_dict(self) -> dict:
        return {"count": len(self.records), "files": self.files, "records": self.records}
