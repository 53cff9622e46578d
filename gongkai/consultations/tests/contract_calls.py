"""The API calls of issue 16 for the contract test (gongkai/api/tests/test_contract.py): a
consultation open for comment with a shown comment, a hearing and a concluded one's adoption,
an answered and published question. ``participation_calls(world)`` makes the data for the
world's agency and returns the calls, as ``Call`` objects of the contract test."""

from datetime import timedelta

from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.publishing.tests.factories import Office, make_staff
from gongkai.questions import services as questions

from .. import hearings, services
from ..rules import Adoption
from .factories import close, make_consultation


def _office(agency) -> Office:
    return Office(
        agency=agency,
        clerk=make_staff(agency, Role.CLERK),
        unit_head=make_staff(agency, Role.REVIEWER),
        office_head=make_staff(agency, Role.OFFICE_HEAD),
        leader=make_staff(agency, Role.LEADER),
    )


def participation_calls(world) -> list:
    from gongkai.api.tests.test_contract import Call  # the contract test's own record

    office = _office(world["agency"])
    c = make_consultation(office, title="测试市养犬管理规定（征求意见稿）")
    shown = services.comment_submit(consultation=c, body="建议划定遛犬时段。")
    services.comment_moderate(comment=shown, event="show", actor=office.clerk)
    hearings.hearing_announce(
        consultation=c, matter="养犬管理费标准", held_at=timezone.now() + timedelta(days=9), place="会议室",
        how_to_register="网上报名", registration_closes_on=timezone.localdate() + timedelta(days=3), seats=5,
        actor=office.clerk,
    )  # fmt: skip
    done = make_consultation(office, title="测试市停车管理办法（征求意见稿）")
    comment = services.comment_submit(consultation=done, body="建议增加夜间免费停车。")
    done = close(done)
    group = services.group_create(
        consultation=done, summary="夜间免费停车", comment_ids=[comment.pk], actor=office.clerk
    )
    services.group_decide(group=group, decision=Adoption.PARTLY, reason="部分路段试行", actor=office.clerk)
    from gongkai.publishing.models import Submission
    from gongkai.publishing.tests.factories import approve_all

    done = services.report_draft(consultation=done, actor=office.clerk)
    approve_all(office, Submission.objects.get(pk=done.report_submission_id))
    q = questions.question_submit(
        agency=office.agency, subject="办事时间", body="周六办公吗？", name="甲", contact="13800000000"
    )
    questions.question_answer(question=q, answer="周六上午办公。", publish=True, actor=office.clerk)
    code = world["agency"].code
    comment_body = {"body": "支持。", "name": None, "contact": None}
    question_body = {
        "agency": code,
        "subject": "咨询",
        "body": "请问在哪里办理？",
        "name": None,
        "contact": None,
    }
    return [
        Call("get", "/consultations", 200),
        Call("get", "/consultations", 200, query={"q": "养犬", "phase": "open", "agency": code, "page": "1"}),
        Call("get", "/consultations", 400, query={"phase": "bogus"}),
        Call("get", f"/consultations/{c.pk}", 200),
        Call("get", f"/consultations/{done.pk}", 200),
        Call("get", "/consultations/999999", 404),
        Call(
            "post",
            f"/consultations/{c.pk}/comments",
            201,
            body=comment_body,
            headers={"Idempotency-Key": "contract-c1"},
        ),
        Call(
            "post",
            f"/consultations/{c.pk}/comments",
            409,
            body=comment_body,
            headers={"Idempotency-Key": "contract-c1"},
        ),
        Call("post", f"/consultations/{c.pk}/comments", 400, body={"body": ""}),
        Call("post", f"/consultations/{done.pk}/comments", 409, body=comment_body),
        Call("post", "/consultations/999999/comments", 404, body=comment_body),
        Call("get", "/questions", 200),
        Call("get", "/questions", 200, query={"q": "办事", "agency": code, "page": "1"}),
        Call("get", "/questions", 400, query={"page": "0"}),
        Call("get", f"/questions/{q.tracking_no}", 200),
        Call("get", "/questions/ZX0", 404),
        Call("post", "/questions", 201, body=question_body, headers={"Idempotency-Key": "contract-q1"}),
        Call("post", "/questions", 409, body=question_body, headers={"Idempotency-Key": "contract-q1"}),
        Call("post", "/questions", 400, body={**question_body, "subject": ""}),
    ]
