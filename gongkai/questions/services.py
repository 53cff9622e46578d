"""State changes of online questions, interviews and topic proposals: one entry point each
(STYLE.md, habit 3), permission and state checked, audited, in one transaction.

What the public sends is accepted once (an idempotency key per form render, so a double click
makes one record), limited per address (floods), committed and audited before the page says
so; personal data is masked in everything published (consultations.masking)."""

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.models import Document
from gongkai.consultations.masking import masked_for_public
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record
from gongkai.core.calendar_store import workday_add

from .models import Interview, InterviewQuestion, Question, TopicProposal
from .rules import (
    ProposalResponse,
    QuestionState,
    answer_workdays,
    interview_phase,
    next_question_state,
    proposal_workdays,
    response_problem,
    takes_questions,
)

SUBMISSIONS_PER_ADDRESS_PER_HOUR = 10
BODY_MAX_CHARS = 3000
ACTING_ROLES = (Role.CLERK, Role.OFFICE_HEAD)


class QuestionError(Exception):
    """A refusal with a message for the person who asked."""


class NotPermitted(QuestionError, core_services.NotPermitted):
    pass


class Conflict(QuestionError, core_services.Conflict):
    pass


class RateLimited(QuestionError):
    pass


class Duplicate(QuestionError):
    pass


def can_act(user, agency: Agency) -> bool:
    """Answer for the agency: its clerks and its disclosure office (explicit grants)."""
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, agency, *ACTING_ROLES)


def _require(allowed: bool) -> None:
    core_services.require(allowed, NotPermitted)


def _lock(obj, actor, expected_version: int | None = None, conflict: str = ""):
    """Re-read ``obj`` (a question, interview or proposal) under a row lock with its agency,
    refuse an actor who may not answer for that agency, then refuse with ``conflict`` when it
    changed since the form was shown (the permission is asked first)."""
    locked = core_services.lock(obj, related=("agency",))
    _require(can_act(actor, locked.agency))
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(conflict)
    return locked


def _check_new(
    model, *, idempotency_key: str | None, client_ip: str | None, field: str = "received_at"
) -> None:
    if idempotency_key and model.objects.filter(idempotency_key=idempotency_key).exists():
        raise Duplicate(_("已提交，请勿重复提交。"))
    since = timezone.now() - timedelta(hours=1)
    if client_ip and (
        model.objects.filter(client_ip=client_ip, **{f"{field}__gte": since}).count()
        >= SUBMISSIONS_PER_ADDRESS_PER_HOUR
    ):
        raise RateLimited(_("提交过于频繁，请一小时后再试。"))


def _create_tracked(model, prefix: str, **fields):
    """Create a record with a random tracking number (a collision is retried; a duplicate
    idempotency key reaching the database at once is re-raised)."""
    today = timezone.localdate(fields["received_at"])
    for _attempt in range(5):
        tracking_no = f"{prefix}{today:%Y%m%d}{secrets.randbelow(10**6):06d}"
        try:
            with transaction.atomic():
                return model.objects.create(tracking_no=tracking_no, **fields)
        except IntegrityError:
            if not model.objects.filter(tracking_no=tracking_no).exists():
                raise
    raise QuestionError(_("系统繁忙，请稍后重试。"))


def _receive(
    model, prefix: str, workdays, action: str, *, agency, name: str, contact: str, client_ip,
    idempotency_key, received_at, **fields,
):  # fmt: skip
    """A submission from the public (网上咨询, 点题): refused when a duplicate or over the rate
    limit, else stored with its answer date (``workdays()`` working days after the day it was
    received), a tracking number and an audit event, in one transaction."""
    with transaction.atomic():
        _check_new(model, idempotency_key=idempotency_key, client_ip=client_ip)
        received_at = received_at or timezone.now()
        due = workday_add(timezone.localdate(received_at), workdays())
        record = _create_tracked(
            model, prefix, agency=agency, idempotency_key=idempotency_key or None, name=name.strip(),
            contact=contact.strip(), client_ip=client_ip, received_at=received_at, due_on=due.date,
            due_provisional=due.provisional, **fields,
        )  # fmt: skip
        audit_record(actor=None, action=action, obj=record, after={"due_on": due.date.isoformat()})
    return record


def _text_problem(**texts: str) -> None:
    for label, value in texts.items():
        if not value.strip():
            raise QuestionError(_("请填写%(label)s。") % {"label": label})
        if len(value) > BODY_MAX_CHARS:
            raise QuestionError(_("%(label)s不能超过%(n)d字。") % {"label": label, "n": BODY_MAX_CHARS})


# --- 网上咨询 ----------------------------------------------------------------------------------


def question_submit(
    *,
    agency: Agency,
    subject: str,
    body: str,
    name: str = "",
    contact: str = "",
    client_ip: str | None = None,
    idempotency_key: str | None = None,
    received_at: datetime | None = None,
) -> Question:
    """A question to an agency, given its answer date (working days after the day asked).
    ``received_at`` is for the demo's history, never from the public form."""
    _text_problem(**{"标题": subject, "咨询内容": body})
    return _receive(
        Question, "ZX", answer_workdays, "question_submit", agency=agency, name=name, contact=contact,
        client_ip=client_ip, idempotency_key=idempotency_key, received_at=received_at,
        subject=subject.strip(), body=body.strip(),
    )  # fmt: skip


@transaction.atomic
def question_answer(
    *, question: Question, answer: str, publish: bool, actor, expected_version: int | None = None
) -> Question:
    """Answer (or correct the answer); ``publish`` puts the question and answer on the public
    list with personal data masked (the asker's name and contact, and what the scan finds)."""
    q = _lock(question, actor, expected_version, _("该咨询已被他人处理，请刷新页面后查看最新状态。"))
    state = next_question_state(q.state, "answer")
    if state is None:
        raise QuestionError(_("当前状态不能答复。"))
    if not answer.strip():
        raise QuestionError(_("请填写答复内容。"))
    before = {"state": q.state, "public": q.public}
    now = timezone.now()
    q.state, q.answer, q.answered_by = state, answer.strip(), actor
    q.answered_at = q.answered_at or now
    own = (q.name, q.contact)
    q.public = publish
    if publish:
        q.public_subject = masked_for_public(q.subject, own=own)
        q.public_body = masked_for_public(q.body, own=own)
        q.public_answer = masked_for_public(q.answer, own=own)
        q.published_at = q.published_at or now
    q.version = F("version") + 1
    q.save()
    q.refresh_from_db()
    audit_record(
        actor=actor,
        action="question_answer",
        obj=q,
        before=before,
        after={"state": q.state, "public": q.public},
    )
    return q


# --- 在线访谈 ----------------------------------------------------------------------------------


def current_interview_phase(interview: Interview, now: datetime | None = None) -> str:
    return interview_phase(
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        transcript_published=interview.transcript_published_at is not None,
        now=now or timezone.now(),
    )


@transaction.atomic
def interview_announce(
    *,
    agency: Agency,
    title: str,
    guests: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    actor,
) -> Interview:
    """Announce an interview in advance; questions are collected from now until it ends."""
    _require(can_act(actor, agency))
    _text_problem(**{"访谈主题": title, "访谈嘉宾": guests, "访谈简介": description})
    if ends_at <= starts_at:
        raise QuestionError(_("结束时间须晚于开始时间。"))
    if starts_at <= timezone.now():
        raise QuestionError(_("访谈须提前预告：开始时间须晚于当前时间。"))
    interview = Interview.objects.create(
        agency=agency, title=title.strip(), guests=guests.strip(), description=description.strip(),
        starts_at=starts_at, ends_at=ends_at, created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="interview_announce", obj=interview, after={"starts_at": starts_at.isoformat()}
    )
    return interview


def interview_question_submit(
    *,
    interview: Interview,
    body: str,
    name: str = "",
    client_ip: str | None = None,
    idempotency_key: str | None = None,
) -> InterviewQuestion:
    """A question for the guests, before or during the interview."""
    _text_problem(**{"问题": body})
    with transaction.atomic():
        interview = core_services.lock(interview)
        if not takes_questions(current_interview_phase(interview)):
            raise QuestionError(_("访谈已结束，不再征集问题。"))
        _check_new(InterviewQuestion, idempotency_key=idempotency_key, client_ip=client_ip)
        item = InterviewQuestion.objects.create(
            interview=interview, idempotency_key=idempotency_key or None, name=name.strip(),
            body=body.strip(), client_ip=client_ip, received_at=timezone.now(),
        )  # fmt: skip
        audit_record(
            actor=None, action="interview_question_submit", obj=item, after={"interview": interview.pk}
        )
    return item


@transaction.atomic
def interview_transcript_publish(
    *, interview: Interview, transcript: str, actor, materials: Sequence[str] = ()
) -> Interview:
    """Publish the transcript (文字实录) after the interview, personal data masked, with its
    materials: the index numbers of the agency's public documents (published through the review
    chain like any other), shown as links beside the transcript."""
    interview = _lock(interview, actor)
    if interview.ends_at > timezone.now():
        raise QuestionError(_("访谈结束后才能公开文字实录。"))
    if not transcript.strip():
        raise QuestionError(_("请填写文字实录。"))
    wanted = list(dict.fromkeys(n.strip() for n in materials if n.strip()))
    found = {
        d.index_no: d for d in Document.objects.public().filter(agency=interview.agency, index_no__in=wanted)
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        raise QuestionError(
            _("以下索引号不是本机关已公开的信息，不能作为访谈材料：%(numbers)s")
            % {"numbers": "、".join(missing)}
        )
    before = {
        "published": interview.transcript_published_at is not None,
        "materials": sorted(interview.materials.values_list("index_no", flat=True)),
    }
    interview.transcript = masked_for_public(transcript.strip())
    interview.transcript_published_at = interview.transcript_published_at or timezone.now()
    interview.version = F("version") + 1
    interview.save()
    interview.refresh_from_db()
    interview.materials.set([found[n] for n in wanted])
    audit_record(
        actor=actor,
        action="interview_transcript_publish",
        obj=interview,
        before=before,
        after={"published": True, "materials": sorted(wanted)},
    )
    return interview


# --- 点题公开 ----------------------------------------------------------------------------------


def proposal_submit(
    *,
    agency: Agency,
    topic: str,
    reason: str = "",
    name: str = "",
    contact: str = "",
    client_ip: str | None = None,
    idempotency_key: str | None = None,
    received_at: datetime | None = None,
) -> TopicProposal:
    """A topic someone wants the agency to disclose; the office answers publicly."""
    _text_problem(**{"希望公开的内容": topic})
    return _receive(
        TopicProposal, "DT", proposal_workdays, "proposal_submit", agency=agency, name=name, contact=contact,
        client_ip=client_ip, idempotency_key=idempotency_key, received_at=received_at,
        topic=topic.strip(), reason=reason.strip(),
    )  # fmt: skip


@transaction.atomic
def proposal_respond(
    *,
    proposal: TopicProposal,
    response: str,
    actor,
    text: str = "",
    publish_by: date | None = None,
    link: str = "",
    expected_version: int | None = None,
) -> TopicProposal:
    """The public response: will publish by a date, already public at a link, or cannot (why)."""
    p = _lock(proposal, actor, expected_version, _("该点题已被他人处理，请刷新页面后查看最新状态。"))
    problem = response_problem(
        response, text=text, publish_by=publish_by, link=link, today=timezone.localdate()
    )
    if problem:
        raise QuestionError(problem)
    before = {"response": p.response}
    p.response, p.response_text = response, text.strip()
    p.publish_by = publish_by if response == ProposalResponse.WILL_PUBLISH else None
    p.link = link.strip() if response == ProposalResponse.ALREADY_PUBLIC else ""
    p.public_topic = masked_for_public(p.topic, own=(p.name, p.contact))
    p.responded_at, p.responded_by = timezone.now(), actor
    p.version = F("version") + 1
    p.save()
    p.refresh_from_db()
    audit_record(actor=actor, action="proposal_respond", obj=p, before=before, after={"response": response})
    return p


def question_is_open(question: Question) -> bool:
    return question.state == QuestionState.RECEIVED
