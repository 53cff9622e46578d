"""Consultations for the tests, made through the services (and the review chain)."""

from datetime import timedelta

from django.utils import timezone

from gongkai.publishing.tests.factories import Office, approve_all, make_office

from .. import services
from ..models import Consultation
from ..rules import IdentityRule

DRAFT_TEXT = (
    "第一条 为了规范城市生活垃圾分类管理，制定本办法。\n第二条 本市行政区域内的生活垃圾分类适用本办法。"
)
EXPLANATION = "起草说明：现行暂行办法已施行五年，需根据新修订的固体废物污染环境防治法予以修改。"


def make_consultation(
    office: Office | None = None, *, publish: bool = True, days: int = 30, **kw
) -> Consultation:
    """A consultation of ``office`` opening today for ``days`` days; its draft approved through
    the default chain when ``publish``."""
    office = office or make_office()
    today = timezone.localdate()
    consultation = services.consultation_create(
        agency=office.agency,
        title=kw.pop("title", "江州市生活垃圾分类管理办法（征求意见稿）"),
        draft_text=DRAFT_TEXT,
        explanation=EXPLANATION,
        opens_on=today,
        closes_on=today + timedelta(days=days - 1),
        short_period_reason=kw.pop("short_period_reason", ""),
        identity_rule=kw.pop("identity_rule", IdentityRule.ANONYMOUS_ALLOWED),
        actor=office.clerk,
    )
    if publish:
        approve_all(office, consultation.draft_submission)
    consultation.refresh_from_db()
    return consultation


def close(consultation: Consultation) -> Consultation:
    """Move the period into the past, as the calendar would."""
    today = timezone.localdate()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=today - timedelta(days=40), closes_on=today - timedelta(days=1)
    )
    consultation.refresh_from_db()
    return consultation
