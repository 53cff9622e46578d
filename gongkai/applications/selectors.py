"""Reads of disclosure on application (STYLE.md: services write, selectors read): the clock
as of a day, the applicant's own application by number and query code, the throttle on progress
lookups and similar applications. Writes are in services/."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core.calendar_store import calendar_for
from gongkai.core.services import row_for_query_code
from gongkai.search.tokenize import index_text

from . import clock as clock_engine
from .models import Application


def clock_events(application: Application) -> list:
    return [
        clock_engine.ClockEvent(
            kind=clock_engine.EventKind(e.kind), on=e.on, days=e.days, ref=e.ref, until=e.until
        )
        for e in application.clock_events.all()
    ]


def clock_state(application: Application, today: date | None = None):
    """The clock as of ``today``: due date, pauses, deadlines and the explanation step by step."""
    return clock_engine.compute_clock(
        clock_events(application), calendar_for(), today=today or timezone.localdate()
    )


def application_find(*, tracking_no: str, query_code: str) -> Application | None:
    """The applicant's own application, or None (the same answer for a wrong number or code)."""
    application = Application.objects.filter(tracking_no=tracking_no.strip()).select_related("agency").first()
    return row_for_query_code(application, query_code)


LOOKUPS_PER_ADDRESS = 30  # progress lookups per address in LOOKUP_WINDOW_SECONDS
LOOKUP_WINDOW_SECONDS = 600


def lookup_allowed(client_ip: str | None) -> bool:
    """A throttle on progress lookups (against guessing query codes online), per
    address, in Django's cache (per process with the default local-memory cache)."""
    from django.core.cache import cache

    if not client_ip:
        return True
    key = f"gongkai:lookup:{client_ip}"
    if cache.add(key, 1, LOOKUP_WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= LOOKUPS_PER_ADDRESS
    except ValueError:  # expired between add and incr
        cache.add(key, 1, LOOKUP_WINDOW_SECONDS)
        return True


def _digits(value: str) -> str:
    return "".join(c for c in value or "" if c.isdigit())


def match_reasons(application: Application, other: Application, overlap: float) -> list[str]:
    """Why ``other`` was found beside ``application``, in the staff's words: each field the two
    share (identity number, organisation code, phone, name and address) and how much of the
    request is the same. Anonymised applications share no personal field."""
    reasons = []
    if not (application.anonymised_at or other.anonymised_at):
        if application.id_number and other.id_number.upper() == application.id_number.upper():
            reasons.append(gettext("证件号码相同"))
        if application.org_code and other.org_code.upper() == application.org_code.upper():
            reasons.append(gettext("统一社会信用代码相同"))
        if len(_digits(application.phone)) >= 7 and _digits(other.phone) == _digits(application.phone):
            reasons.append(gettext("联系电话相同"))
        name, address = application.name.strip(), application.address.strip()
        if name and address and (other.name.strip(), other.address.strip()) == (name, address):
            reasons.append(gettext("姓名和地址相同"))
    if overlap >= SIMILAR_OVERLAP:
        reasons.append(gettext("申请内容相近（%(percent)d%%的词相同）") % {"percent": round(overlap * 100)})
    return reasons


SIMILAR_OVERLAP = 0.5  # share of two-character words two requests have in common


def similar_applications(application: Application, limit: int = 5) -> list[Application]:
    """Earlier applications of the same applicant, and others asking for the same thing (for
    repeat detection and the Art. 44 suggestion), by identity (identity number or organisation
    code) and by shared two-character words. Each carries ``match_reasons``: why it was found."""
    mine = set(index_text(application.description).split())
    candidates = (
        Application.objects.filter(agency=application.agency)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")[:500]
    )
    scored = []
    anonymous = application.anonymised_at is not None
    for other in candidates:
        same_person = (
            not anonymous
            and other.anonymised_at is None
            and (
                (bool(application.id_number) and other.id_number.upper() == application.id_number.upper())
                or (bool(application.org_code) and other.org_code.upper() == application.org_code.upper())
            )
        )
        theirs = set(index_text(other.description).split())
        overlap = len(mine & theirs) / max(1, len(mine | theirs))
        if same_person or overlap >= SIMILAR_OVERLAP:
            other.match_reasons = match_reasons(application, other, overlap)
            scored.append((same_person, overlap, other))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [o for _s, _o, o in scored[:limit]]
