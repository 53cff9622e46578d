"""Demo questions answered in public at the city education bureau: answered and published
questions, one waiting and one past its answer date; an interview whose transcript is published
and one announced; a topic proposal with its public response. Called by
gongkai.operations.demo.load_demo; safe to run again (nothing is added when questions exist).

Questions received earlier carry their day of receipt, so answer dates and lateness are the
services' own arithmetic; the past interview is announced, asked, then moved back in time (the
demo's history) before its transcript is published."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency

from . import services
from .models import Interview, Question
from .rules import ProposalResponse

ANSWERED = [
    (
        "义务教育阶段招生划片方案何时公布？", "今年小学和初中的施教区划分方案什么时候公布？在哪里能查到？",
        "您好！2026年义务教育阶段公办学校施教区划分方案将于5月20日前在本局门户网站“政府信息公开—招生入学”栏目公布，"
        "各学校同步在校门口公示。", 12,
    ),
    (
        "学生资助申请需要哪些材料？", "我叫刘明，电话13512340000，孩子上高中，家庭经济困难，申请国家助学金要准备什么？",
        "刘明您好：请向学校资助中心提交《家庭经济困难学生认定申请表》，并如实填写家庭情况，学校组织认定后按程序发放。", 6,
    ),
]  # fmt: skip


def questions_demo_load(*, education: Agency, clerk_username: str) -> int:
    """Load the demo; returns how many records were created (0 when loaded before)."""
    if Question.objects.filter(agency=education).exists():
        return 0
    clerk = get_user_model().objects.get(username=clerk_username)
    now = timezone.now()
    created = 0
    for subject, body, answer, days_ago in ANSWERED:
        q = services.question_submit(
            agency=education, subject=subject, body=body, name="刘明" if "刘明" in body else "",
            contact="13512340000" if "13512340000" in body else "", received_at=now - timedelta(days=days_ago),
        )  # fmt: skip
        services.question_answer(question=q, answer=answer, publish=True, actor=clerk)
        created += 1
    services.question_submit(
        agency=education, subject="课后服务几点结束？", body="请问今年秋季学期课后服务每天几点结束？"
    )
    services.question_submit(
        agency=education, subject="教师资格认定何时开始？", body="下半年中小学教师资格认定什么时候开始报名？",
        received_at=now - timedelta(days=20),
    )  # fmt: skip  # left unanswered: overdue in the workbench
    created += 2

    past = services.interview_announce(
        agency=education, title="解读2026年义务教育招生入学政策", guests="江州市教育局副局长 陈建华",
        description="就今年招生入学政策回答网友关心的问题。", starts_at=now + timedelta(minutes=5),
        ends_at=now + timedelta(hours=1), actor=clerk,
    )  # fmt: skip
    services.interview_question_submit(interview=past, body="随迁子女入学需要哪些材料？", name="网友“江边”")
    Interview.objects.filter(pk=past.pk).update(
        starts_at=now - timedelta(days=7), ends_at=now - timedelta(days=7) + timedelta(hours=1)
    )
    services.interview_transcript_publish(
        interview=past, actor=clerk,
        transcript=(
            "主持人：各位网友好，欢迎参加今天的在线访谈。\n"
            "网友“江边”：随迁子女入学需要哪些材料？\n"
            "陈建华：需要居住证、监护人就业证明和户口簿，具体以各区公布的入学公告为准。"
        ),
    )  # fmt: skip
    services.interview_announce(
        agency=education, title="聊聊中小学课后服务", guests="江州市教育局基础教育科负责人",
        description="就课后服务管理办法征求意见稿与网友交流。", starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=1), actor=clerk,
    )  # fmt: skip
    created += 2

    proposal = services.proposal_submit(
        agency=education, topic="公开各中小学食堂食品安全检查结果", reason="家长关心孩子饮食安全。"
    )
    services.proposal_respond(
        proposal=proposal, response=ProposalResponse.WILL_PUBLISH, actor=clerk,
        publish_by=timezone.localdate() + timedelta(days=30), text="我局将会同市场监管部门汇总本学期检查结果后公开。",
    )  # fmt: skip
    services.proposal_submit(agency=education, topic="公开民办学校收费标准")
    return created + 2
