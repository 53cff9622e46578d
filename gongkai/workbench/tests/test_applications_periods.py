"""Issue 9 on the workbench and the progress page: the "回执未登记" list, the applicant's
deadline once the receipt is recorded, a consultation that ran out, and a late correction
notice refused with its reason."""

from datetime import date

import pytest
from django.test import override_settings

from gongkai.applications import services
from gongkai.applications.progress import application_progress
from gongkai.publishing.tests.factories import make_office

from .applications_world import register

pytestmark = pytest.mark.django_db
LIST = "/staff/applications/"


@pytest.fixture
def office(db):
    return make_office("江州市教育局")


def _page(client, office, application) -> str:
    client.force_login(office.clerk)
    return client.get(f"/staff/applications/{application.pk}/").content.decode()


def test_a_notice_without_its_receipt_is_listed_and_shows_no_applicant_deadline(client, office):
    waiting = register(office, received_on=date(2026, 3, 2))
    services.correction_request(
        application=waiting, items=["补充文号"], days=10, actor=office.clerk, on=date(2026, 3, 4)
    )
    plain = register(office, received_on=date(2026, 3, 2))
    client.force_login(office.clerk)
    listed = client.get(LIST, {"receipt_missing": "on"}).content.decode()
    assert waiting.tracking_no in listed and plain.tracking_no not in listed
    assert "回执未登记" in client.get(LIST).content.decode()
    page = _page(client, office, waiting)
    assert "data-receipt-missing" in page and "尚未登记申请人收到的日期" in page
    progress = application_progress(waiting)
    assert progress.applicant_deadlines == [("补正期限", None)]
    # The return receipt comes back: Mon 3/9, so 3/10-13 (4), 3/16-20 (9), Mon 3/23 (10).
    letter = waiting.letters.get(kind="correction")
    response = client.post(
        f"/staff/applications/{waiting.pk}/letters/{letter.pk}/deliver/",
        {
            f"letter-{letter.pk}-method": "post",
            f"letter-{letter.pk}-on": "2026-03-09",
            f"letter-{letter.pk}-proof": "回执",
        },
    )
    assert response.status_code == 302
    page = _page(client, office, waiting)
    assert "data-receipt-missing" not in page and "2026-03-23" in page
    assert "申请人于2026年3月9日收到补正告知" in page
    assert waiting.tracking_no not in client.get(LIST, {"receipt_missing": "on"}).content.decode()
    waiting.refresh_from_db()
    progress = application_progress(waiting)
    assert progress.applicant_deadlines == [("补正期限", date(2026, 3, 23))]
    assert progress.correction is not None and progress.applicant_explanation


def test_a_consultation_that_ran_out_shows_as_ended(client, office):
    app = register(office, received_on=date(2026, 3, 2))
    services.consultation_start(application=app, party="third_party", party_name="江州某某科技有限公司",
                                on=date(2026, 3, 4), actor=office.clerk)  # fmt: skip
    page = _page(client, office, app)
    # Sent Wed 3/4: 3/5-6 (2), 3/9-13 (7), 3/16-20 (12), 3/23-25 (15).
    assert "答复期限：2026-03-25" in page and "data-consultation-lapsed" in page
    app.refresh_from_db()
    assert not app.clock_paused and app.reply_due_on == date(2026, 4, 22)  # counted in test_clock


def test_a_late_correction_notice_is_refused_with_the_reason_before_sending(client, office):
    app = register(office, received_on=date(2026, 3, 2))  # the window ended Wed 3/11; today is later
    page = _page(client, office, app)
    assert "data-correction-late" in page and "本平台不允许逾期发出补正告知" in page
    assert f'action="/staff/applications/{app.pk}/correction/"' not in page
    with override_settings(GONGKAI_ALLOW_LATE_CORRECTION=True):
        page = _page(client, office, app)
        assert "答复期限不停止、不重新计算，仍为2026-03-30" in page and "仍然发出（答复期限不变）" in page
