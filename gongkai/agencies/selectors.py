"""Reads of the agency directory that other apps need (STYLE.md, habit 3)."""

from datetime import date

from django.db.models import CharField, Max
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from gongkai.core.models import AuditEvent

from .models import Agency, DisclosureOffice, GuideText, ReadingPoint
from .services import GUIDE_REVIEW_ACTIONS, GUIDE_REVIEW_KEY


def guide_reviews_as_of(agency_ids: list[int], as_of: date) -> dict[int, date | None]:
    """The day each agency's guide was last reviewed on or before ``as_of`` (None: never, no
    office, or not known). The office keeps only its latest review; when that is later than
    ``as_of``, the earlier one is read from the audit trail, where every write that records a
    review carries the day (services.GUIDE_REVIEW_KEY). Reviews made before the trail carried
    the day cannot be found again and count as unknown: a past period is then never credited
    with a review it may not have had. Two queries at most, whatever the number of agencies."""
    reviews: dict[int, date | None] = dict.fromkeys(agency_ids)
    later = []
    for agency_id, reviewed in DisclosureOffice.objects.filter(agency_id__in=agency_ids).values_list(
        "agency_id", "guide_reviewed_on"
    ):
        if reviewed is not None and reviewed > as_of:
            later.append(str(agency_id))
        else:
            reviews[agency_id] = reviewed
    if later:
        # ISO dates compare as text in the order of the days they name (the cast makes the
        # comparison a text one on every database, not a JSON one).
        rows = (
            AuditEvent.objects.filter(
                object_type=Agency._meta.label_lower, object_id__in=later, action__in=GUIDE_REVIEW_ACTIONS
            )
            .alias(day=Cast(KT(f"after__{GUIDE_REVIEW_KEY}"), CharField()))
            .filter(day__lte=as_of.isoformat())
            .values("object_id")
            .annotate(last=Max("day"))
            .order_by()
        )
        for row in rows:
            reviews[int(row["object_id"])] = date.fromisoformat(row["last"])
    return reviews


def public_contact_values() -> frozenset[str]:
    """The contact details the directory publishes: every disclosure office's telephone, fax,
    e-mail and address, and every reading point's telephone and address. They are printed on
    the agencies' own notices and are not personal data, so the pre-scan is told them
    (``gongkai.core.scan.scan_text(text, known=...)``). Two queries; read once per scan of a
    submission (the directory may change between two), the prepared form is kept by the scan."""
    values: set[str] = set()
    for row in DisclosureOffice.objects.values_list("phone", "fax", "email", "address"):
        values.update(row)
    for row in ReadingPoint.objects.values_list("phone", "address"):
        values.update(row)
    values.discard("")
    return frozenset(values)


def guide_text_versions(agency) -> list:
    """The versions of what the office wrote into its guide (proactive disclosure, channels),
    newest first: the first is the one the guide shows."""
    return list(GuideText.objects.filter(agency=agency).select_related("created_by").order_by("-version"))
