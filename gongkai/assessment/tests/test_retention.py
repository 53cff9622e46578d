"""Old evaluations lose the address hash and any personal data in the comment; the ratings,
which the assessment and the annual report count, stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services as applications
from gongkai.applications.rules import ApplicantType, Channel, Outcome
from gongkai.assessment import retention, services
from gongkai.assessment.models import Evaluation
from gongkai.assessment.selectors import evaluation_summary
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.audit import audit_verify
from gongkai.core.models import AuditEvent
from gongkai.core.retention import SCRUBBED
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

NAME, MOBILE = "张三", "13812345678"


@pytest.fixture
def agency():
    agency = make_agency("江州市教育局")
    clerk = make_staff(agency, Role.CLERK)
    data = {
        "agency": agency, "applicant_type": ApplicantType.NATURAL_PERSON, "name": NAME, "id_type": "resident_id",
        "id_number": "11010519491231002X", "phone": MOBILE, "email": "zhangsan@example.com",
        "address": "江州市江滨路1号", "description": "2025年招生计划", "form": "electronic", "delivery": "email",
    }  # fmt: skip
    app = applications.application_register(
        data=data, channel=Channel.POST, received_on=timezone.localdate(), actor=clerk
    ).application
    reply = applications.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=clerk)
    applications.letter_deliver(letter=reply, method="email", on=timezone.localdate(), actor=clerk)
    services.reply_evaluate(
        application=app, rating=2, comment=f"{NAME}：答复太慢，请打{MOBILE}联系我", client_ip="10.0.0.7"
    )
    services.page_rate(path="/guide/", agency=agency, rating=5, client_ip="10.0.0.8")
    return agency


def age(years: int) -> None:
    Evaluation.objects.update(created_at=timezone.now() - timedelta(days=365 * years))


def test_old_evaluations_lose_the_address_hash_and_personal_data_in_the_comment(agency):
    age(6)
    cutoff = timezone.localdate() - timedelta(days=365 * 5)
    summary = evaluation_summary([agency.pk])
    result = retention.evaluations_anonymise(cutoff=cutoff)
    assert len(result.records) == 2
    reply = Evaluation.objects.get(kind=Evaluation.Kind.APPLICATION_REPLY)
    assert reply.client_ip == "" and reply.comment == f"{SCRUBBED}：答复太慢，请打{SCRUBBED}联系我"
    assert not Evaluation.objects.exclude(client_ip="").exists()
    assert evaluation_summary([agency.pk]) == summary and reply.rating == 2


def test_recent_evaluations_are_kept(agency):
    result = retention.evaluations_anonymise(cutoff=timezone.localdate() - timedelta(days=365 * 5))
    assert result.records == [] and Evaluation.objects.filter(client_ip="").count() == 0


def test_dry_run_changes_nothing_and_a_second_run_finds_nothing(agency):
    age(6)
    cutoff = timezone.localdate() - timedelta(days=365 * 5)
    before, events = list(Evaluation.objects.values()), AuditEvent.objects.count()
    assert len(retention.evaluations_anonymise(cutoff=cutoff, dry_run=True).records) == 2
    assert list(Evaluation.objects.values()) == before and AuditEvent.objects.count() == events
    retention.evaluations_anonymise(cutoff=cutoff)
    assert AuditEvent.objects.filter(action="evaluation_anonymise").get().after["count"] == 2
    after, events = list(Evaluation.objects.values()), AuditEvent.objects.count()
    assert retention.evaluations_anonymise(cutoff=cutoff).records == []
    assert list(Evaluation.objects.values()) == after and AuditEvent.objects.count() == events
    assert audit_verify() == []
