"""The hearing registration endpoint (issue 16 §1, 听证) in the API's contract test
(test_contract.py): a consultation with a hearing taking registrations and one whose
registration closed."""

from datetime import timedelta

from django.utils import timezone

from gongkai.consultations import hearings
from gongkai.consultations.models import Hearing
from gongkai.consultations.tests.factories import make_consultation
from gongkai.publishing.tests.factories import make_office

from .test_contract import Call


def announce(consultation, actor, matter="停车收费标准") -> Hearing:
    return hearings.hearing_announce(
        consultation=consultation, matter=matter, held_at=timezone.now() + timedelta(days=9), place="市政府第一会议室",
        how_to_register="网上报名", registration_closes_on=timezone.localdate() + timedelta(days=3), seats=5,
        actor=actor,
    )  # fmt: skip


def setup() -> dict:
    office = make_office("听证市发展改革委")
    c = make_consultation(office, title="听证市停车收费调整方案（征求意见稿）")
    open_ = announce(c, office.clerk)
    closed = announce(c, office.clerk, matter="夜间停车收费")
    Hearing.objects.filter(pk=closed.pk).update(
        registration_closes_on=timezone.localdate() - timedelta(days=1)
    )
    return {"consultation": c, "open": open_, "closed": closed}


def calls(d: dict) -> list[Call]:
    base = f"/consultations/{d['consultation'].pk}/hearings"
    body = {"name": "李四", "contact": "13900000000", "position": "支持分时段收费"}
    return [
        Call(
            "post",
            f"{base}/{d['open'].pk}/registrations",
            201,
            body=body,
            headers={"Idempotency-Key": "contract-h1"},
        ),
        Call(
            "post",
            f"{base}/{d['open'].pk}/registrations",
            409,
            body=body,
            headers={"Idempotency-Key": "contract-h1"},
        ),
        Call("post", f"{base}/{d['open'].pk}/registrations", 400, body={**body, "contact": ""}),
        Call("post", f"{base}/{d['closed'].pk}/registrations", 409, body=body),
        Call("post", f"{base}/999999/registrations", 404, body=body),
    ]
