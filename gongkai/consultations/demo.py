"""Demo consultations at the city education bureau: one open for comment (with a hearing
announced and comments, some shown), one closed whose adoption report has been published.
Called by gongkai.operations.demo.load_demo after the publishing team exists; safe to run again.

Everything goes through the services and the bureau's review chain. The concluded one needs a
period in the past: it is created open, commented on, then its period is moved back (the demo's
history, as other demos backdate a receipt), before the office groups, decides and reports."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.publishing.models import Submission
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import submission_decide, submission_submit

from . import hearings, services
from .models import Consultation
from .rules import Adoption, IdentityRule

OPEN_TITLE = "江州市中小学课后服务管理办法（征求意见稿）"
CLOSED_TITLE = "江州市校外培训机构监督管理办法（征求意见稿）"


def _approve(submission: Submission, team: dict) -> None:
    """Through the bureau's default chain: the clerk submits, each approver approves."""
    submission = submission_submit(submission=submission, actor=team["clerk"], opinion="拟公开征求意见。")
    for role in ("reviewer", "office", "leader"):
        submission = submission_decide(
            submission=submission, actor=team[role], decision=Decision.APPROVE, opinion="同意。"
        )


def consultations_demo_load(*, education: Agency, usernames: dict[str, str]) -> int:
    """Load the two demo consultations; returns how many were created (0 when loaded before).
    ``usernames``: clerk, reviewer, office and leader of the bureau's publishing team."""
    users = get_user_model().objects.in_bulk(list(usernames.values()), field_name="username")
    team = {role: users[name] for role, name in usernames.items()}
    created = 0
    today = timezone.localdate()
    if not Consultation.objects.filter(agency=education, draft__title=OPEN_TITLE).exists():
        c = services.consultation_create(
            agency=education, title=OPEN_TITLE, actor=team["clerk"], opens_on=today, closes_on=today + timedelta(days=29),
            draft_text=(
                "第一条 为规范中小学课后服务，减轻学生过重课业负担，制定本办法。\n"
                "第二条 课后服务坚持学生家长自愿原则，每周五天、每天不少于两小时。\n"
                "第三条 课后服务收费实行政府指导价，标准由市发展改革委会同市教育局制定。"
            ),
            explanation=(
                "起草说明：为落实“双减”要求，市教育局在调研全市212所中小学的基础上起草本办法，"
                "主要规定服务时间、内容、收费和监督。现向社会公开征求意见。"
            ),
            identity_rule=IdentityRule.ANONYMOUS_ALLOWED,
        )  # fmt: skip
        _approve(c.draft_submission, team)
        shown = [
            services.comment_submit(
                consultation=c, body="建议第二条明确低年级学生可以提前离校，由家长自愿选择。"
            ),
            services.comment_submit(
                consultation=c,
                name="黄丽",
                contact="13870001234",
                body="我是黄丽，电话13870001234。建议收费标准向家庭经济困难学生减免。",
            ),  # fmt: skip
        ]
        for comment in shown:
            services.comment_moderate(comment=comment, event="show", actor=team["clerk"])
        services.comment_submit(consultation=c, body="建议课后服务引入校外非学科类机构，丰富服务内容。")
        hearing = hearings.hearing_announce(
            consultation=c, matter="中小学课后服务收费标准", held_at=timezone.now() + timedelta(days=20),
            place="江州市教育局三楼会议室", how_to_register="在本页网上报名，写明主要观点；学生家长、学校和社会代表各若干名。",
            registration_closes_on=today + timedelta(days=14), seats=12, actor=team["clerk"],
        )  # fmt: skip
        hearings.hearing_register(
            hearing=hearing, name="林志强", contact="13970005678", position="赞成收费，建议公开成本。"
        )
        created += 1
    if not Consultation.objects.filter(agency=education, draft__title=CLOSED_TITLE).exists():
        c = services.consultation_create(
            agency=education, title=CLOSED_TITLE, actor=team["clerk"], opens_on=today, closes_on=today + timedelta(days=29),
            draft_text="第一条 为加强校外培训机构监督管理，制定本办法。\n第二条 校外培训机构应当公示收费项目和标准。",
            explanation="起草说明：根据国家关于校外培训治理的要求，起草本办法。",
        )  # fmt: skip
        _approve(c.draft_submission, team)
        texts = [
            "建议要求培训机构公示退费办法。",
            "退费规则应当写进办法，避免机构卷款跑路。",
            "建议取消对非学科类培训的审批。",
        ]
        comments = [services.comment_submit(consultation=c, body=t) for t in texts]
        for comment in comments:
            services.comment_moderate(comment=comment, event="show", actor=team["clerk"])
        Consultation.objects.filter(pk=c.pk).update(
            opens_on=today - timedelta(days=60), closes_on=today - timedelta(days=31)
        )  # the demo's history: the period ended a month ago
        c.refresh_from_db()
        refunds = services.group_create(
            consultation=c,
            summary="建议公示并规范退费办法",
            comment_ids=[comments[0].pk, comments[1].pk],
            actor=team["clerk"],
        )
        approvals = services.group_create(
            consultation=c,
            summary="建议取消非学科类培训审批",
            comment_ids=[comments[2].pk],
            actor=team["clerk"],
        )
        services.group_decide(group=refunds, decision=Adoption.ADOPTED, reason="", actor=team["clerk"])
        services.group_decide(
            group=approvals, decision=Adoption.NOT_ADOPTED, actor=team["clerk"],
            reason="非学科类培训机构的审批依据国家规定设立，本办法无权取消。",
        )  # fmt: skip
        c = services.report_draft(consultation=c, actor=team["clerk"])
        _approve(c.report_submission, team)
        created += 1
    return created
