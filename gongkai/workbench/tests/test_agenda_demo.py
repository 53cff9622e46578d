"""Issue 18, "the due list and dashboard agree with a hand count on the demo data": the demo
loaded on a fixed day, and the agenda and the dashboard of the demo's clerk (jy-clerk) and office
head (jy-office) at the city education bureau checked against the table below, counted by hand
from what the demo loaders do (applications/demo.py, casework/demo.py, complaints/demo.py).

The demo dates everything from the day it runs; the test fixes that day by moving the clock
(``timezone.now``, hence ``localdate`` and every timestamp) to Wed 12 August 2026, 09:00 in
Beijing. Working days counted by hand: no holiday and no make-up working day from 22 June to
11 September 2026 (Dragon Boat ends 21 June, Mid-Autumn starts 25 September), so a working day
is Monday to Friday; a period starts the day after the event.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from gongkai.core.calendar_store import calendar_for
from gongkai.core.tests.helpers import ensure_taxonomy
from gongkai.operations import demo
from gongkai.workbench import agenda

pytestmark = pytest.mark.django_db

DEMO_NOW = datetime(2026, 8, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = date(2026, 8, 12)  # a Wednesday; the week runs to Sunday 16 August

# The hand count: (due, kind, the case by its request text or content, why it is on the list).
HAND_COUNT = [
    (
        date(2026, 8, 12),
        "reply",
        "江州市第三中学食堂承包合同",
        "received Tue 23 June (today-50); day 1 is 24 June; a third party consulted on 25 June, "
        "its 15 working days (26 June-16 July) ran out unanswered, so the pause ended; days 2-20 "
        "are 17 July-12 August",
    ),
    (
        date(2026, 8, 12),
        "reply",
        "江州市教育局2025年督导检查报告",
        "received Wed 15 July (today-28): 20 working days, 16 July-12 August",
    ),
    (
        date(2026, 8, 18),
        "correction_notice",
        "江州市12所公办初中",
        "received Sun 9 August (today-3): 7 working days for a correction notice, 10-18 August",
    ),
    (
        date(2026, 8, 19),
        "casework_task",
        "交办（本机关业务科室）：基础教育科",
        "the open 交办 task, made today with 5 working days: 13, 14, 17, 18, 19 August",
    ),
    (
        date(2026, 8, 25),
        "consultation",
        "滨江区新建学校配套工程的招标文件",
        "third party consulted on Tue 4 August (today-8): 15 working days, 5-25 August; the "
        "reply clock is paused meanwhile, so no reply date",
    ),
    (
        date(2026, 8, 28),
        "complaint",
        "建议教育局在招生入学政策解读中",
        "the suggestion received Sun 9 August (today-3): 15 working days, 10-28 August",
    ),
    (
        date(2026, 8, 31),
        "undelivered",
        "江州市第二中学2025年校舍维修项目清单",
        "the 分项答复 decided today, its letter not yet delivered: listed on its reply date, "
        "received Mon 3 August (today-9), 20 working days 4-31 August",
    ),
    (
        date(2026, 9, 9),
        "fee_payment",
        "江州市12所公办初中",
        "fee notice handed over today: the applicant's 20 working days, 13 August-9 September",
    ),
]
# Not on the list, by hand: the online application (awaiting confirmation of receipt); the
# correction notice posted today whose return receipt is missing (the applicant's period has
# not started, the reply clock is paused); the reply e-mailed two days ago and the one posted and
# signed for today (both closed and filed); the 交办 task answered and accepted (done); the
# complaints and publications of other agencies (outside the bureau's scope).


@pytest.fixture
def demo_day(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    real_now = timezone.now
    shift = DEMO_NOW - real_now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: real_now() + shift)
    ensure_taxonomy()
    demo.load_demo(corpus=None)


def _rows(items) -> list[tuple]:
    """Each item as (due, kind, the hand count's text it holds); one due the same day as another
    comes in the order of its random tracking number, so the rows are compared as a set beside
    the order of the dates."""
    texts = [text for _on, _kind, text, _why in HAND_COUNT]
    return [(i.on, i.kind, next((t for t in texts if t in i.summary), i.summary)) for i in items]


def _agrees(items) -> None:
    rows = _rows(items)
    expected = [(on, kind, text) for on, kind, text, _why in HAND_COUNT]
    assert sorted(rows) == sorted(expected)
    assert [i.on for i in items] == [on for on, *_rest in HAND_COUNT]  # earliest first


def _card(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("workbench:dashboard")).content.decode()
    return page.split('id="agenda-counts"')[1].split("</ul>")[0]


def test_the_demo_agenda_and_dashboard_agree_with_the_hand_count(client, demo_day):
    # The hand count assumes plain weeks: the calendar has no holiday or make-up day in them.
    calendar = calendar_for([2026])
    window = (date(2026, 6, 22), date(2026, 9, 11))
    assert not [d for d in [*calendar.holidays, *calendar.workdays] if window[0] <= d <= window[1]]
    assert timezone.localdate() == TODAY

    users = get_user_model().objects.in_bulk(["jy-clerk", "jy-office"], field_name="username")
    clerk, head = users["jy-clerk"], users["jy-office"]
    for user in (clerk, head):
        items = agenda.agenda_for(user, TODAY)
        _agrees(items)
        assert not any(i.overdue for i in items)
        assert {i.assignee_name for i in items} == {"jy-clerk"}  # the clerk handles every one
    assert len(agenda.agenda_for(clerk, TODAY, mine=True)) == 8
    assert agenda.agenda_for(head, TODAY, mine=True) == []

    # This week (Wed 12 to Sun 16 August): the two replies due today, both the clerk's.
    assert agenda.agenda_counts(clerk, TODAY) == agenda.AgendaCounts(2, 0, 2, date(2026, 8, 16))
    assert agenda.agenda_counts(head, TODAY) == agenda.AgendaCounts(2, 0, 0, date(2026, 8, 16))
    # Tomorrow the two replies are overdue and nothing else falls before Sunday.
    assert agenda.agenda_counts(clerk, date(2026, 8, 13)) == agenda.AgendaCounts(0, 2, 0, date(2026, 8, 16))

    card = _card(client, clerk)
    assert '<span class="wb-count">2</span> 本周到期' in card
    assert '<span class="wb-count">2</span> 本周到期（我承办的）' in card
    assert '<span class="wb-count">0</span> 期限已过' in card
    card = _card(client, head)
    assert '<span class="wb-count">2</span> 本周到期' in card
    assert '<span class="wb-count">0</span> 本周到期（我承办的）' in card
    whole = client.get(reverse("workbench:agenda")).content.decode()
    assert whole.count('<li class="wb-record') == 8 and "共 8 项期限" in whole
