"""State changes of hearings (听证): announce, register (the public), select the participants,
publish the record. One entry point each, permission and state checked, audited."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import services as core_services
from gongkai.core.audit import audit_record

from .masking import masked_for_public
from .models import Consultation, Hearing, HearingRegistration
from .rules import HearingState, next_hearing_state
from .services import ConsultationError, Duplicate, _require, can_act

REGISTRATIONS_PER_ADDRESS = 5


def _snapshot(h: Hearing) -> dict:
    return core_services.snapshot(h, ("state", "held_at", "seats"))


def _transition(h: Hearing, event: str) -> str:
    return core_services.transition(h, next_hearing_state, event, ConsultationError)


@transaction.atomic
def hearing_announce(
    *,
    consultation: Consultation,
    matter: str,
    held_at: datetime,
    place: str,
    how_to_register: str,
    registration_closes_on: date,
    seats: int,
    actor,
) -> Hearing:
    """Announce a hearing: matter, date, place and how to register, shown with the draft."""
    _require(can_act(actor, consultation.agency))
    if not (matter.strip() and place.strip() and how_to_register.strip()):
        raise ConsultationError(_("请填写听证事项、地点和报名方式。"))
    if held_at <= timezone.now():
        raise ConsultationError(_("举行时间须晚于当前时间。"))
    if registration_closes_on > timezone.localdate(held_at):
        raise ConsultationError(_("报名截止日期不能晚于举行日期。"))
    if seats < 1:
        raise ConsultationError(_("参加人名额至少为1。"))
    hearing = Hearing.objects.create(
        consultation=consultation, matter=matter.strip(), held_at=held_at, place=place.strip(),
        how_to_register=how_to_register.strip(), registration_closes_on=registration_closes_on,
        seats=seats, announced_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="hearing_announce", obj=hearing, after=_snapshot(hearing))
    return hearing


def hearing_register(
    *,
    hearing: Hearing,
    name: str,
    contact: str,
    position: str = "",
    client_ip: str | None = None,
    idempotency_key: str | None = None,
) -> HearingRegistration:
    """A member of the public registers to take part, until the registration closing day."""
    with transaction.atomic():
        hearing = core_services.lock(hearing)
        if idempotency_key and HearingRegistration.objects.filter(idempotency_key=idempotency_key).exists():
            raise Duplicate(_("已报名，请勿重复提交。"))
        if hearing.state != HearingState.ANNOUNCED or timezone.localdate() > hearing.registration_closes_on:
            raise ConsultationError(_("报名已截止。"))
        if not (name.strip() and contact.strip()):
            raise ConsultationError(_("请填写姓名或名称和联系方式。"))
        if (
            client_ip
            and hearing.registrations.filter(client_ip=client_ip).count() >= REGISTRATIONS_PER_ADDRESS
        ):
            raise ConsultationError(_("同一网络地址报名次数过多。"))
        reg = HearingRegistration.objects.create(
            hearing=hearing, idempotency_key=idempotency_key or None, name=name.strip(),
            contact=contact.strip(), position=position.strip(), client_ip=client_ip, received_at=timezone.now(),
        )  # fmt: skip
        audit_record(actor=None, action="hearing_register", obj=reg, after={"hearing": hearing.pk})
    return reg


@transaction.atomic
def hearing_select(*, hearing: Hearing, selected_ids: list[int], method: str, actor) -> Hearing:
    """Record who takes part (at most the seats) and how they were chosen (遴选方式)."""
    hearing = core_services.lock(hearing, related=("consultation__agency",))
    _require(can_act(actor, hearing.consultation.agency))
    state = _transition(hearing, "select")
    if not method.strip():
        raise ConsultationError(_("请说明参加人的遴选方式。"))
    chosen = set(hearing.registrations.filter(pk__in=selected_ids).values_list("pk", flat=True))
    if not chosen:
        raise ConsultationError(_("请至少选择一名参加人。"))
    if len(chosen) > hearing.seats:
        raise ConsultationError(_("入选人数超过名额（%(n)d名）。") % {"n": hearing.seats})
    before = _snapshot(hearing)
    hearing.registrations.update(selected=False)
    hearing.registrations.filter(pk__in=chosen).update(selected=True)
    hearing.state, hearing.selection_method = state, method.strip()
    hearing.version = F("version") + 1
    hearing.save()
    hearing.refresh_from_db()
    audit_record(
        actor=actor, action="hearing_select", obj=hearing, before=before,
        after={**_snapshot(hearing), "selected": sorted(chosen)},
    )  # fmt: skip
    return hearing


@transaction.atomic
def hearing_record_publish(*, hearing: Hearing, record: str, actor) -> Hearing:
    """Publish the hearing record (听证笔录) after the hearing, personal data masked."""
    hearing = core_services.lock(hearing, related=("consultation__agency",))
    _require(can_act(actor, hearing.consultation.agency))
    state = _transition(hearing, "record")
    if hearing.held_at > timezone.now():
        raise ConsultationError(_("听证会举行后才能公开笔录。"))
    if not record.strip():
        raise ConsultationError(_("请填写听证笔录。"))
    before = _snapshot(hearing)
    hearing.state = state
    hearing.record = masked_for_public(record.strip())
    hearing.record_published_at = timezone.now()
    hearing.version = F("version") + 1
    hearing.save()
    hearing.refresh_from_db()
    audit_record(
        actor=actor, action="hearing_record_publish", obj=hearing, before=before, after=_snapshot(hearing)
    )
    return hearing
