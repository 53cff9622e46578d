"""The demo's casework (issue 18 item 4) at the city education bureau: a business division,
one 交办 task still open with it and one answered and accepted into the case, and an internal
note. Runs after the applications demo (it routes cases that demo made); safe to run again."""

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application

from . import services
from .models import Task
from .rules import TaskKind


def casework_demo_load(
    *, education: Agency, clerk_username: str, head_username: str, member_username: str
) -> int:
    """Load the demo's tasks and note; the number of tasks made (0 when loaded before)."""
    if Task.objects.filter(application__agency=education).exists():
        return 0
    users = get_user_model().objects.in_bulk(
        [clerk_username, head_username, member_username], field_name="username"
    )
    clerk, head, member = users[clerk_username], users[head_username], users[member_username]
    cases = Application.objects.filter(agency=education)
    tender = cases.get(description="滨江区新建学校配套工程的招标文件")
    canteen = cases.get(description="江州市第三中学食堂承包合同")
    division = services.division_save(agency=education, name="基础教育科", members=[member], actor=head)
    services.task_create(
        application=tender, kind=TaskKind.DIVISION, division=division, actor=clerk,
        part="配套工程招标文件及评标结果", instructions="请检索2025年的招标文件，标明涉及第三方商业秘密的内容。",
    )  # fmt: skip
    answered = services.task_create(
        application=canteen, kind=TaskKind.DIVISION, division=division, actor=clerk,
        part="食堂承包合同文本", instructions="请提供现行合同文本。",
    )  # fmt: skip
    answered = services.task_answer(
        task=answered, answer="合同文本已找到（2024年9月签订，期限三年），其中承包费标准涉及第三方经营信息。",
        actor=member,
    )  # fmt: skip
    services.task_review(task=answered, accept=True, note="已收悉，纳入答复。", actor=clerk)
    services.note_add(
        application=canteen, text="已电话联系第三方，对方表示将书面答复，暂未收到。", actor=clerk
    )
    return 2
