"""Every state change of assessment and evaluation: compute and store results, enter manual
scores, record the public's ratings. Each checks who may do it and the state, then writes and
audits in one transaction (STYLE.md, habit 3)."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.applications.models import Application
from gongkai.applications.rules import ApplicationState
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record

from .facts import facts_for
from .models import AssessmentResult, Evaluation, Indicator, ManualScore, Scheme
from .scoring import IndicatorKey, Period, indicator_score, period_parse, rank, weighted_total

ASSESSOR_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)
COMMENT_MAX = 1000
# Page ratings: one per page and address a day, and at most this many per address an hour.
PAGE_RATINGS_PER_ADDRESS = 20
PAGE_RATING_WINDOW_SECONDS = 3600
SAME_PAGE_WINDOW_SECONDS = 24 * 3600


class AssessmentError(Exception):
    """A refusal with a message for the person who asked."""


class NotPermitted(AssessmentError, core_services.NotPermitted):
    pass


class EvaluationError(Exception):
    """A rating that cannot be recorded, with a message for the visitor."""


class RatedTooOften(EvaluationError):
    pass


def _require(allowed: bool) -> None:
    core_services.require(allowed, NotPermitted)


def can_assess(user, authority: Agency) -> bool:
    """Supervisors and administrators of the competent authority (or above it) assess its agencies."""
    return has_role(user, authority, *ASSESSOR_ROLES)


def assessed_agencies(authority: Agency) -> list[Agency]:
    """The active agencies under ``authority``; a leaf authority is assessed on its own."""
    below = list(
        Agency.objects.active().below(authority).exclude(pk=authority.pk).order_by("path", "sort_order")
    )
    return below or [authority]


@dataclass(frozen=True)
class Computed:
    agency: Agency
    scores: dict[str, float | None]
    total: float | None


def _score_agencies(scheme: Scheme, agencies: list[Agency], period: Period, today: date) -> list[Computed]:
    ids = [a.pk for a in agencies]
    facts = facts_for(ids, period, today=today)
    indicators = list(scheme.indicators.all())
    manual = {
        (m.indicator_id, m.agency_id): m.score
        for m in ManualScore.objects.filter(indicator__scheme=scheme, period=period.label, agency_id__in=ids)
    }
    computed = []
    for agency in agencies:
        scores = {
            str(ind.pk): indicator_score(
                ind.key,
                facts[agency.pk],
                period,
                target=ind.target,
                today=today,
                manual=manual.get((ind.pk, agency.pk)),
            )  # fmt: skip
            for ind in indicators
        }
        total = weighted_total([(scores[str(ind.pk)], ind.weight) for ind in indicators])
        computed.append(Computed(agency, scores, total))
    return computed


@transaction.atomic
def assessment_compute(
    *, scheme: Scheme, authority: Agency, period: str, actor, today: date | None = None
) -> list[AssessmentResult]:
    """Score every agency under ``authority`` for ``period`` ("2026Q1" or "2026"), rank them and
    store the results (replacing earlier ones of the same scheme and period)."""
    _require(can_assess(actor, authority))
    parsed = period_parse(period)
    if parsed.year != scheme.year:
        raise AssessmentError(_("考核期间与方案年度不一致。"))
    if not scheme.active:
        raise AssessmentError(_("该考核方案已停用。"))
    today = today or timezone.localdate()
    computed = _score_agencies(scheme, assessed_agencies(authority), parsed, today)
    places = rank({c.agency.pk: c.total for c in computed})
    existing = AssessmentResult.objects.select_for_update().filter(
        scheme=scheme, period=parsed.label, agency_id__in=places.keys()
    )
    before = {str(r.agency_id): str(r.total) if r.total is not None else None for r in existing}
    now = timezone.now()
    results = []
    for c in computed:
        result, _created = AssessmentResult.objects.update_or_create(
            scheme=scheme, agency=c.agency, period=parsed.label,
            defaults={
                "scores": c.scores, "rank": places[c.agency.pk], "computed_at": now,
                "total": None if c.total is None else Decimal(str(c.total)),
            },
        )  # fmt: skip
        results.append(result)
    audit_record(
        actor=actor, action="assessment.compute", obj=scheme, before=before or None,
        after={"authority": authority.pk, "period": parsed.label, "totals": {str(c.agency.pk): c.total for c in computed}},
    )  # fmt: skip
    return sorted(results, key=lambda r: (r.rank is None, r.rank or 0, r.agency.name))


@transaction.atomic
def manual_score_set(
    *, indicator: Indicator, agency: Agency, period: str, score: Decimal, note: str = "", actor
) -> ManualScore:
    """Enter (or correct) an assessor's score for a manual indicator."""
    _require(can_assess(actor, agency))
    if indicator.key != IndicatorKey.MANUAL:
        raise AssessmentError(_("只有人工评分指标可以录入分数。"))
    label = period_parse(period).label
    score = Decimal(score)
    if not Decimal(0) <= score <= Decimal(100):
        raise AssessmentError(_("得分应在0至100之间。"))
    current = ManualScore.objects.filter(indicator=indicator, agency=agency, period=label).first()
    before = {"score": str(current.score), "note": current.note} if current else None
    manual, _created = ManualScore.objects.update_or_create(
        indicator=indicator, agency=agency, period=label,
        defaults={"score": score, "note": note.strip(), "entered_by": actor},
    )  # fmt: skip
    audit_record(actor=actor, action="assessment.manual_score", obj=manual, before=before,
                 after={"score": str(score), "note": manual.note})  # fmt: skip
    return manual


# --- public evaluation (社会评议) ----------------------------------------------------------


def address_hash(client_ip: str | None) -> str:
    """A keyed hash of the address: repeated votes stay visible, the address does not."""
    if not client_ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), client_ip.encode(), hashlib.sha256).hexdigest()


def _rating(value) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise EvaluationError(_("请选择1至5分的评分。"))
    return rating


@transaction.atomic
def reply_evaluate(
    *, application: Application, rating: int, comment: str = "", client_ip: str | None = None
) -> Evaluation:
    """The applicant rates the reply, once, after the application is closed. The caller has
    established that this is the applicant (tracking number and query code)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state != ApplicationState.CLOSED:
        raise EvaluationError(_("申请办结后才能评价答复。"))
    if Evaluation.objects.filter(application=application).exists():
        raise EvaluationError(_("本申请的答复已经评价过，每件申请只能评价一次。"))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise EvaluationError(_("意见不能超过%(n)d字。") % {"n": COMMENT_MAX})
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                kind=Evaluation.Kind.APPLICATION_REPLY, agency_id=application.agency_id, application=application,
                rating=_rating(rating), comment=comment, client_ip=address_hash(client_ip),
            )  # fmt: skip
    except IntegrityError:  # a concurrent second rating of the same application
        raise EvaluationError(_("本申请的答复已经评价过，每件申请只能评价一次。")) from None
    audit_record(actor=None, action="evaluation.reply", obj=evaluation,
                 after={"application": application.pk, "rating": evaluation.rating})  # fmt: skip
    return evaluation


def page_rating_allowed(client_ip: str | None, path: str) -> bool:
    """The per-address throttle on page ratings, in Django's cache (like the progress lookups)."""
    if not client_ip:
        return True
    who = address_hash(client_ip)[:32]
    page_key = f"gongkai:page-rate:{who}:{hashlib.sha256(path.encode()).hexdigest()[:32]}"
    if not cache.add(page_key, 1, SAME_PAGE_WINDOW_SECONDS):
        return False
    key = f"gongkai:page-rate:{who}"
    if cache.add(key, 1, PAGE_RATING_WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= PAGE_RATINGS_PER_ADDRESS
    except ValueError:  # expired between add and incr
        cache.add(key, 1, PAGE_RATING_WINDOW_SECONDS)
        return True


def page_rate(*, path: str, agency: Agency, rating: int, client_ip: str | None = None) -> Evaluation:
    """A visitor's "was this page useful" rating of a page of ``agency``. Not audited: anonymous
    and numerous, they would drown the audit trail; the throttle keeps them honest enough."""
    rating = _rating(rating)
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or len(path) > 500:
        raise EvaluationError(_("页面地址无效。"))
    if not page_rating_allowed(client_ip, path):
        raise RatedTooOften(_("您已评价过本页或评价过于频繁，请稍后再试。"))
    return Evaluation.objects.create(
        kind=Evaluation.Kind.PAGE,
        agency=agency,
        page_path=path,
        rating=rating,
        client_ip=address_hash(client_ip),
    )
