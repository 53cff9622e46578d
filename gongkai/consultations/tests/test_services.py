"""Consultations through the services: the review chain opens the period, comments are taken
once and never lost, moderation masks personal data, grouping and adoption lead to the report,
which goes through the same chain; every state change is audited and refused without the role."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.catalogue.models import Visibility
from gongkai.consultations import hearings, selectors, services
from gongkai.consultations.models import Comment
from gongkai.consultations.rules import Adoption, IdentityRule, Moderation, Phase
from gongkai.core.models import AuditEvent
from gongkai.publishing.models import Submission
from gongkai.publishing.tests.factories import approve_all, make_office, make_staff

from .factories import close, make_consultation

pytestmark = pytest.mark.django_db


def test_the_draft_goes_through_the_review_chain_before_anyone_can_comment():
    office = make_office()
    c = make_consultation(office, publish=False)
    assert services.consultation_phase(c) == Phase.DRAFTING
    assert c.draft.genre.name == "征求意见稿"
    assert c.draft.summary.startswith("起草说明")
    with pytest.raises(services.ConsultationError, match="不在征求意见期内"):
        services.comment_submit(consultation=c, body="建议增加厨余垃圾桶。")
    approve_all(office, c.draft_submission)
    c.refresh_from_db()
    assert c.draft.visibility == Visibility.PUBLIC
    assert services.consultation_phase(c) == Phase.OPEN


def test_a_short_period_needs_a_reason_that_is_kept():
    with pytest.raises(services.ConsultationError, match="不少于30日"):
        make_consultation(days=10)
    c = make_consultation(days=10, short_period_reason="汛期应急，须于月底前出台")
    assert selectors.public_consultation(c.pk).short_period


def test_a_named_consultation_refuses_anonymous_comments():
    c = make_consultation(identity_rule=IdentityRule.NAME_REQUIRED)
    with pytest.raises(services.ConsultationError, match="须署名"):
        services.comment_submit(consultation=c, body="意见")
    services.comment_submit(consultation=c, body="意见", name="李四", contact="13800001111")


def test_a_double_submit_makes_one_comment():
    c = make_consultation()
    services.comment_submit(consultation=c, body="建议延长过渡期。", idempotency_key="k1")
    with pytest.raises(services.Duplicate):
        services.comment_submit(consultation=c, body="建议延长过渡期。", idempotency_key="k1")
    assert c.comments.count() == 1
    assert AuditEvent.objects.filter(action="comment_submit").count() == 1


def test_a_flood_from_one_address_is_stopped():
    c = make_consultation()
    for i in range(services.COMMENTS_PER_ADDRESS_PER_HOUR):
        services.comment_submit(consultation=c, body=f"意见{i}", client_ip="203.0.113.9")
    with pytest.raises(services.RateLimited):
        services.comment_submit(consultation=c, body="再一条", client_ip="203.0.113.9")
    services.comment_submit(consultation=c, body="另一个地址", client_ip="203.0.113.10")


def test_shown_comments_have_personal_data_masked_and_withheld_ones_stay_on_record():
    office = make_office()
    c = make_consultation(office)
    shown = services.comment_submit(
        consultation=c, name="王小明", contact="13912345678",
        body="我是王小明，电话13912345678，建议在小区增设回收点。",
    )  # fmt: skip
    withheld = services.comment_submit(consultation=c, body="广告：低价出售二手家电")
    services.comment_moderate(comment=shown, event="show", actor=office.clerk)
    with pytest.raises(services.ConsultationError, match="说明理由"):
        services.comment_moderate(comment=withheld, event="withhold", actor=office.clerk)
    services.comment_moderate(
        comment=withheld, event="withhold", reason="与草案无关的广告", actor=office.clerk
    )
    public = selectors.shown_comments(c)
    assert len(public) == 1
    assert "13912345678" not in public[0].body and "王小明" not in public[0].body
    assert public[0].author == "王**"
    assert Comment.objects.filter(consultation=c).count() == 2  # nothing lost


def test_moderation_needs_the_agency_role():
    office = make_office()
    c = make_consultation(office)
    comment = services.comment_submit(consultation=c, body="意见")
    other = make_office("邻市教育局")
    for user in (other.clerk, office.leader, make_staff(office.agency, Role.SUPERVISOR)):
        with pytest.raises(services.NotPermitted):
            services.comment_moderate(comment=comment, event="show", actor=user)


def test_grouping_adoption_and_report_through_the_review_chain_conclude_the_consultation():
    office = make_office()
    c = make_consultation(office)
    a = services.comment_submit(consultation=c, body="建议增加分类投放点。")
    b = services.comment_submit(consultation=c, body="投放点太少，建议增加。")
    d = services.comment_submit(consultation=c, body="建议取消罚款条款。")
    with pytest.raises(services.ConsultationError, match="征求意见期结束后"):
        services.group_create(consultation=c, summary="增加投放点", comment_ids=[a.pk], actor=office.clerk)
    c = close(c)
    g1 = services.group_create(
        consultation=c, summary="建议增加投放点", comment_ids=[a.pk, b.pk], actor=office.clerk
    )
    with pytest.raises(services.ConsultationError, match="未归类"):
        services.report_draft(consultation=c, actor=office.clerk)
    g2 = services.group_create(consultation=c, summary="建议取消罚款", comment_ids=[d.pk], actor=office.clerk)
    services.group_decide(group=g1, decision=Adoption.ADOPTED, reason="", actor=office.clerk)
    with pytest.raises(services.ConsultationError, match="须说明理由"):
        services.group_decide(group=g2, decision=Adoption.NOT_ADOPTED, reason="", actor=office.clerk)
    services.group_decide(
        group=g2, decision=Adoption.NOT_ADOPTED, reason="罚则依据上位法设定", actor=office.clerk
    )
    c = services.report_draft(consultation=c, actor=office.clerk)
    assert c.report.genre.name == "意见采纳情况"
    assert "罚则依据上位法设定" in c.report.body and "共收到意见3条" in c.report.body
    assert services.consultation_phase(c) == Phase.CLOSED  # not public until reviewed
    approve_all(office, Submission.objects.get(pk=c.report_submission_id))
    c.refresh_from_db()
    assert services.consultation_phase(c) == Phase.CONCLUDED
    assert [g.summary for g in selectors.public_groups(c)] == ["建议增加投放点", "建议取消罚款"]
    stats = selectors.consultation_statistics(
        start=timezone.localdate() - timedelta(days=60), end=timezone.localdate()
    )
    assert (stats.consultations, stats.comments, stats.groups_decided, stats.adoption_rate) == (1, 3, 2, 0.5)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "consultation_create",
        "comment_group_create",
        "comment_group_decide",
        "adoption_report_draft",
    } <= actions


def test_period_may_only_be_extended_while_open():
    office = make_office()
    c = make_consultation(office)
    with pytest.raises(services.ConsultationError, match="只能延长"):
        services.consultation_set_period(
            consultation=c, opens_on=c.opens_on, closes_on=c.closes_on - timedelta(days=1), actor=office.clerk
        )
    c = services.consultation_set_period(
        consultation=c, opens_on=c.opens_on, closes_on=c.closes_on + timedelta(days=10), actor=office.clerk
    )
    assert selectors.public_consultation(c.pk).period_days == 40


def test_a_hearing_is_announced_registrations_selected_and_the_record_published():
    office = make_office()
    c = make_consultation(office)
    held_at = timezone.now() + timedelta(days=10)
    h = hearings.hearing_announce(
        consultation=c, matter="生活垃圾处理收费标准", held_at=held_at, place="市政府第一会议室",
        how_to_register="网上报名，写明主要观点", registration_closes_on=timezone.localdate() + timedelta(days=5),
        seats=1, actor=office.clerk,
    )  # fmt: skip
    r1 = hearings.hearing_register(hearing=h, name="赵一", contact="13700000001", position="支持")
    r2 = hearings.hearing_register(hearing=h, name="钱二", contact="13700000002", position="反对")
    with pytest.raises(services.ConsultationError, match="超过名额"):
        hearings.hearing_select(hearing=h, selected_ids=[r1.pk, r2.pk], method="随机抽取", actor=office.clerk)
    h = hearings.hearing_select(
        hearing=h, selected_ids=[r2.pk], method="按观点分组随机抽取", actor=office.clerk
    )
    with pytest.raises(services.ConsultationError, match="举行后"):
        hearings.hearing_record_publish(hearing=h, record="笔录", actor=office.clerk)
    type(h).objects.filter(pk=h.pk).update(held_at=timezone.now() - timedelta(hours=1))
    h = hearings.hearing_record_publish(
        hearing=h, record="钱二（13700000002）发言：反对提高收费。", actor=office.clerk
    )
    assert "13700000002" not in h.record
    assert list(h.registrations.filter(selected=True)) == [r2]


@pytest.mark.django_db(transaction=True)
def test_two_identical_submits_at_once_make_one_comment():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    c = make_consultation()
    outcomes = []

    def send():
        try:
            services.comment_submit(consultation=c, body="同一条意见", idempotency_key="same")
            outcomes.append("ok")
        except Exception as exc:  # noqa: BLE001 - the loser's error is the point
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert Comment.objects.filter(consultation=c).count() == 1
    assert Moderation.PENDING == Comment.objects.get(consultation=c).moderation
