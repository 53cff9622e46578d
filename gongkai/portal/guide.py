"""The disclosure guide (公开指南, Art. 12), generated from the agency's data on every request,
so that an edit of the office, its reading points or its catalogue shows up at once and no
stored copy can go stale (catalogue.md, "Disclosure guide")."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Min
from django.utils import timezone

from gongkai.agencies.models import Agency, DisclosureOffice, GuideText, ReadingPoint
from gongkai.agencies.selectors import guide_text_versions
from gongkai.catalogue.models import Document
from gongkai.catalogue.services import index_number_format


@dataclass(frozen=True)
class Band:
    first: int
    last: int | None  # None: open-ended
    yuan: int


@dataclass(frozen=True)
class GuideRules:
    """The statutory figures the guide states. Defaults are the 2019 Regulation's and the
    2020 fee Measures' (regulation.md, fees.md); they are data so a rulebook can replace them."""

    proactive_working_days: int = 20  # Art. 26
    reply_working_days: int = 20  # Art. 33
    extension_working_days: int = 20  # Art. 33, with the office head's consent
    correction_notice_working_days: int = 7  # Art. 30
    consultation_working_days: int = 15  # Art. 32, 34: not counted in the reply time
    fee_payment_working_days: int = 20  # 国办函〔2020〕109号
    reconsideration_days: int = 60  # Administrative Reconsideration Law (2023), Art. 20
    litigation_months: int = 6  # Administrative Litigation Law, Art. 46
    # 国办函〔2020〕109号: either per count (per applicant and calendar month) or per volume
    # (pages per application), progressive, never both.
    per_count_bands: tuple[Band, ...] = (
        Band(1, 10, 0),
        Band(11, 30, 100),
        Band(31, 40, 200),
        Band(41, 50, 300),
    )
    per_count_step_yuan: int = 100  # each further band of 10 costs this much more per application
    per_volume_bands: tuple[Band, ...] = (
        Band(1, 30, 0),
        Band(31, 100, 10),
        Band(101, 200, 20),
        Band(201, None, 40),
    )


DEFAULT_RULES = GuideRules()


@dataclass
class Category:
    name: str
    count: int
    children: list["Category"] = field(default_factory=list)


@dataclass
class Guide:
    agency: Agency
    office: DisclosureOffice | None
    reading_points: list[ReadingPoint]
    competent_authority: Agency | None
    subjects: list[Category]
    genres: list[Category]
    document_count: int
    first_year: int | None
    last_year: int | None
    index_number_example: str
    rules: GuideRules
    generated_on: date
    # Where complaints go (Art. 51): the agency above and the competent office, each with its
    # disclosure office's address when it has one; an agency with neither recorded still has
    # the platform's complaint form, which routes the complaint (complaints app).
    complaint_bodies: list[tuple[str, Agency, DisclosureOffice | None]] = field(default_factory=list)
    # What the office wrote (proactive disclosure, WeChat, hotline), newest version first; the
    # first is shown, the others are the guide's version history (agencies.GuideText).
    text_versions: list[GuideText] = field(default_factory=list)

    @property
    def text(self) -> GuideText | None:
        return self.text_versions[0] if self.text_versions else None


def _complaint_bodies(agency: Agency) -> list[tuple[str, Agency, DisclosureOffice | None]]:
    bodies, seen = [], set()
    for label, body in (
        ("上一级行政机关", agency.parent),
        ("政府信息公开工作主管部门", agency.competent_authority),
    ):
        if body is not None and body.pk not in seen:
            seen.add(body.pk)
            bodies.append((label, body, getattr(body, "office", None)))
    return bodies


def _subjects(agency: Agency) -> list[Category]:
    rows = (
        Document.objects.public()
        .filter(agency=agency, subject__isnull=False)
        .values(
            "subject__name", "subject__parent__name", "subject__parent__sort_order", "subject__sort_order"
        )
        .annotate(n=Count("id"))
    )
    tops: dict[str, Category] = {}
    order: dict[str, tuple] = {}
    for row in rows:
        parent = row["subject__parent__name"]
        top_name = parent or row["subject__name"]
        top = tops.setdefault(top_name, Category(top_name, 0))
        order.setdefault(
            top_name, (row["subject__parent__sort_order"] or row["subject__sort_order"], top_name)
        )
        top.count += row["n"]
        if parent:
            top.children.append(Category(row["subject__name"], row["n"]))
    return [tops[name] for name in sorted(tops, key=lambda n: order[n])]


def _genres(agency: Agency) -> list[Category]:
    rows = (
        Document.objects.public()
        .filter(agency=agency, genre__isnull=False)
        .values("genre__name", "genre__sort_order")
        .annotate(n=Count("id"))
        .order_by("genre__sort_order", "genre__name")
    )
    return [Category(r["genre__name"], r["n"]) for r in rows]


def guide_build(*, agency: Agency, rules: GuideRules = DEFAULT_RULES) -> Guide:
    """The guide of ``agency`` as it stands now."""
    stats = (
        Document.objects.public()
        .filter(agency=agency)
        .aggregate(n=Count("id"), first=Min("written_on"), last=Max("written_on"))
    )
    today = timezone.localdate()
    return Guide(
        agency=agency,
        office=getattr(agency, "office", None),
        reading_points=list(agency.reading_points.order_by("kind", "id")),
        competent_authority=agency.competent_authority,
        subjects=_subjects(agency),
        genres=_genres(agency),
        document_count=stats["n"],
        first_year=stats["first"].year if stats["first"] else None,
        last_year=stats["last"].year if stats["last"] else None,
        index_number_example=index_number_format(agency=agency, year=today.year, seq=1),
        rules=rules,
        generated_on=today,
        complaint_bodies=_complaint_bodies(agency),
        text_versions=guide_text_versions(agency),
    )
