"""The progress page once the case is closed (issue 15 §3): the closed state, the outcome and the
reply lead; no provisional-deadline warning; the deadline calculation folded away, not repeated."""

import re

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.rules import Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.tests.applications_world import applicant

pytestmark = pytest.mark.django_db


def test_a_closed_case_leads_with_its_outcome_and_letter(client):
    agency = make_agency("江州市住房和城乡建设局")
    done = services.application_submit_online(data=applicant(agency))
    clerk = make_staff(agency, Role.CLERK)
    today = timezone.localdate()
    application = services.application_confirm_receipt(application=done.application, on=today, actor=clerk)
    letter = services.application_decide(
        application=application, outcome=Outcome.DISCLOSED, actor=clerk, provided_how="电子邮件发送"
    )
    services.letter_deliver(letter=letter, method="email", on=today, actor=clerk)
    html = client.post(
        "/progress/", {"tracking_no": application.tracking_no, "query_code": done.query_code}
    ).content.decode()
    closed = html.index("data-closed")
    assert "本申请已于" in html and "办结" in html[closed:]
    assert closed < html.index("办理状态") < html.index('id="letter-title"')
    assert 'href="#letter-title"' in html and f"/progress/letter/{letter.pk}.pdf" in html
    shown = re.sub(r"<details.*?</details>", "", html, flags=re.S)  # what is not folded away
    assert '<span class="tag">暂定' not in shown and "尚未发布节假日安排" not in shown
    # The calculation is there once, folded (a <details>), not as a heading of its own.
    assert html.count("期限的计算过程") == 1
    assert re.search(r"<details[^>]*>\s*<summary>期限的计算过程</summary>", html)
