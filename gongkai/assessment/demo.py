"""Demo assessment (考核): a yearly scheme with the standard indicators for last year and for
this year, the assessor's website-inspection scores for last year, and the results computed for
the agencies under the city: last year's, and this year's current quarter (the period the page
opens on). Called by gongkai.operations.demo.load_demo after the other demos, whose records the
scores are computed from; safe to run again.

Schemes have no service: they are set up in the back office (assessment/admin.py), where a save
is the model's own validation and nothing more; the demo does the same and records the audit
event the back office would not. Scores and results go through the services."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core.audit import audit_record

from .models import AssessmentResult, Indicator, Scheme
from .scoring import IndicatorKey, period_of
from .services import assessed_agencies, assessment_compute, manual_score_set

# The standard indicators: every one the platform scores (IndicatorKey), with these weights; an
# indicator added later gets DEFAULT_WEIGHT until it is given its own.
WEIGHTS = {
    IndicatorKey.PUBLICATION_ON_TIME: 20,
    IndicatorKey.REPLY_ON_TIME: 20,
    IndicatorKey.OVERDUE: 15,
    IndicatorKey.REVERSED: 10,
    IndicatorKey.CATALOGUE_CURRENT: 10,
    IndicatorKey.COMPLAINTS_UPHELD: 10,
    IndicatorKey.MANUAL: 15,
}
DEFAULT_WEIGHT = 10
MANUAL_LABEL = "网站及政务公开专栏检查"
# Last year's inspection scores, dealt in the order of the agencies under the city.
INSPECTION_SCORES = [92, 88, 95, 84, 90, 86, 79, 93, 87, 82]


def _scheme(year: int) -> Scheme:
    """The city's active scheme for ``year``, created with the standard indicators if missing."""
    scheme = Scheme.objects.filter(year=year, active=True).order_by("pk").first()
    if scheme is not None:
        return scheme
    with transaction.atomic():
        scheme = Scheme(name=f"{year}年度江州市政务公开工作考核", year=year)
        scheme.full_clean()
        scheme.save()
        weights = {key: WEIGHTS.get(key, DEFAULT_WEIGHT) for key in IndicatorKey}
        for order, (key, weight) in enumerate(weights.items()):
            label = MANUAL_LABEL if key == IndicatorKey.MANUAL else str(key.label)
            indicator = Indicator(
                scheme=scheme, key=key, label=label, weight=Decimal(weight), sort_order=order
            )
            indicator.full_clean()
            indicator.save()
        audit_record(
            actor=None,
            action="assessment.scheme_create",
            obj=scheme,
            after={"name": scheme.name, "year": year, "indicators": {k.value: w for k, w in weights.items()}},
        )
    return scheme


def _computed(scheme: Scheme, city: Agency, period: str) -> bool:
    ids = [a.pk for a in assessed_agencies(city)]
    return AssessmentResult.objects.filter(scheme=scheme, period=period, agency_id__in=ids).exists()


def assessment_demo_load(*, city: Agency, supervisor_username: str) -> int:
    """Schemes for last year and this year, and the results not yet computed; returns how many
    result rows were computed now."""
    supervisor = get_user_model().objects.get(username=supervisor_username)
    today = timezone.localdate()
    computed = 0

    last_year = str(today.year - 1)
    scheme = _scheme(today.year - 1)
    if not _computed(scheme, city, last_year):
        manual = scheme.indicators.filter(key=IndicatorKey.MANUAL).first()
        inspected = assessed_agencies(city) if manual is not None else []
        for agency, score in zip(inspected, INSPECTION_SCORES * 2, strict=False):
            manual_score_set(
                indicator=manual,
                agency=agency,
                period=last_year,
                score=Decimal(score),
                note=f"{last_year}年度第四季度网站及政务公开专栏检查，按检查细则逐项评分。",
                actor=supervisor,
            )
        computed += len(assessment_compute(scheme=scheme, authority=city, period=last_year, actor=supervisor))

    quarter = period_of(today).label
    scheme = _scheme(today.year)
    if not _computed(scheme, city, quarter):
        computed += len(assessment_compute(scheme=scheme, authority=city, period=quarter, actor=supervisor))
    return computed
