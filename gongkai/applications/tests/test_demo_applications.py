"""The demo has an application in each state issue 9 added (docs/applications.md)."""

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.demo import applications_demo_load
from gongkai.applications.models import Application
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_demo_shows_each_new_state():
    agency = make_agency("江州市教育局")
    clerk, head = make_staff(agency, Role.CLERK), make_staff(agency, Role.OFFICE_HEAD)
    applications_demo_load(education=agency, clerk_username=clerk.username, head_username=head.username)
    rows = list(Application.objects.filter(agency=agency))

    def row(start: str) -> Application:
        return next(a for a in rows if a.description.startswith(start))

    awaiting = row("江州市第一中学2025")
    assert awaiting.notice_receipt_missing  # 回执未登记
    silent = row("江州市第三中学食堂承")
    state = services.clock_state(silent)
    assert not state.paused and state.consultations_lapsed and silent.reply_due_on is not None
    late = row("江州市教育局2025年")
    assert not late.letters.exists() and "7个工作日" in services.correction_lateness(
        late, timezone.localdate()
    )
    split = row("江州市12所公办初中")
    assert split.matters == 12
    assert "拆分为12件" in "".join(split.letters.get(kind="fee_notice").paragraphs)
    assert services.clock_state(split).fee_payment_due_on is not None
    applications_demo_load(education=agency, clerk_username=clerk.username, head_username=head.username)
    assert Application.objects.filter(agency=agency).count() == len(rows)  # safe to run again
