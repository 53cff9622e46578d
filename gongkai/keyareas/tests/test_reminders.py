"""`gongkai remind` includes the key-area disclosures due soon or overdue, for the owning
agency's staff who can link the document, in the one daily e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from gongkai.keyareas import services
from gongkai.operations.reminders import reminders_collect, reminders_send

from .factories import make_procurement, make_world, stage

pytestmark = pytest.mark.django_db


def test_the_daily_email_lists_an_overdue_key_area_disclosure():
    world = make_world()
    for user in (world.clerk, world.supervisor):
        user.email = f"{user.username}@example.cn"
        user.save()
    project = make_procurement(world)
    day = timezone.localdate() - timedelta(days=30)
    services.obligation_occur(obligation=stage(project, "contract"), occurred_on=day, actor=world.clerk)
    reminders = reminders_collect()
    assert [(r.email, len(r.keyareas)) for r in reminders] == [(world.clerk.email, 1)]
    assert reminders_send(reminders) == 1
    message = mail.outbox[0]
    assert "1项重点领域信息待公开" in message.subject
    assert f"{project.title}·采购合同（江州市教育局，已逾期" in message.body
