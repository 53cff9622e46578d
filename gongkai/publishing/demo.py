"""Demo data for proactive disclosure: a review team at the city education bureau, a
supervisor at the city government, and records at each stage of the chain so the workbench
has something to show. Called by gongkai.operations.demo.load_demo; safe to run again."""

from datetime import timedelta

from django.utils import timezone

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.services import staff_role_grant
from gongkai.catalogue.services import DocumentFields

from .models import Submission
from .rules import Decision
from .services import record_draft, submission_decide, submission_submit

TEAM = [
    ("jy-clerk", Role.CLERK),
    ("jy-reviewer", Role.REVIEWER),
    ("jy-office", Role.OFFICE_HEAD),
    ("jy-leader", Role.LEADER),
]
SUPERVISOR = "jiangzhou-supervisor"


def publishing_demo_load(*, education: Agency, city: Agency, ensure_user, password_for) -> list[tuple]:
    """Create the team and the sample records; returns (username, password, agency, role label)."""
    logins, users = [], {}
    for username, role in TEAM:
        user = ensure_user(username, pw := password_for(username), superuser=False)
        staff_role_grant(user=user, agency=education, role=role)
        users[role] = user
        logins.append((username, pw, education.name, str(role.label)))
    supervisor = ensure_user(SUPERVISOR, pw := password_for(SUPERVISOR), superuser=False)
    staff_role_grant(user=supervisor, agency=city, role=Role.SUPERVISOR)
    logins.append((SUPERVISOR, pw, city.name, str(Role.SUPERVISOR.label)))
    if not Submission.objects.filter(agency=education).exists():
        _sample_records(education, users)
    return logins


def _sample_records(agency: Agency, users: dict) -> None:
    today = timezone.localdate()
    clerk = users[Role.CLERK]

    def draft(title, body, days_ago):
        fields = DocumentFields(title=title, body=body, written_on=today - timedelta(days=days_ago))
        return record_draft(agency=agency, fields=fields, actor=clerk)

    draft(
        "关于2026年中小学校舍安全排查情况的通报", "各区教育局：现将校舍安全排查情况通报如下。", 40
    )  # overdue
    draft("江州市2026年秋季学期学生资助政策问答", "一、学生资助政策有哪些？", 2)
    sub = draft(
        "关于公布2026年江州市优秀教师名单的通知",
        "经评审，现将名单公布如下。联系人：李老师，联系电话13812345678。",
        25,
    )
    sub = submission_submit(submission=sub, actor=clerk, opinion="拟主动公开，已初审无涉密内容。")
    submission_decide(
        submission=sub, actor=users[Role.REVIEWER], decision=Decision.APPROVE, opinion="同意，请公开办审查。"
    )
    sub = draft("关于调整江州市中小学作息时间的通知", "各中小学：经研究，决定调整作息时间。", 5)
    sub = submission_submit(submission=sub, actor=clerk, opinion="拟主动公开。")
    submission_decide(
        submission=sub,
        actor=users[Role.REVIEWER],
        decision=Decision.RETURN,
        opinion="请补充调整依据和施行日期。",
    )
