"""The record page's "settle every finding of this value" button (issue 17)."""

import pytest
from django.urls import reverse

from gongkai.publishing.models import FindingDecision
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import submission_decide, submission_submit
from gongkai.publishing.tests.factories import draft

from .conftest import MOBILE

pytestmark = pytest.mark.django_db


def test_one_decision_settles_every_finding_of_the_value_from_the_page(client, world):
    a = world.a
    body = (
        f"联系电话{MOBILE}。如无人接听，请拨{MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}。举报人手机13800001111。"
    )
    sub = submission_submit(
        submission=draft(a, title="关于来信办理情况的第二次说明", body=body), actor=a.clerk
    )
    sub = submission_decide(submission=sub, actor=a.unit_head, decision=Decision.APPROVE)
    first = sub.findings.order_by("start").first()
    client.force_login(a.office_head)
    detail = reverse("workbench:record_detail", kwargs={"pk": sub.pk})
    url = reverse("workbench:findings_settle_value", kwargs={"pk": sub.pk, "finding_pk": first.pk})
    page = client.get(detail).content.decode()
    assert f'formaction="{url}"' in page and "同一值的全部发现一并处理" in page

    prefix = f"finding-{first.pk}"
    response = client.post(url, {f"{prefix}-decision": "keep", f"{prefix}-reason": ""})
    assert response.status_code == 200 and "保留须说明理由" in response.content.decode()
    assert set(sub.findings.values_list("decision", flat=True)) == {FindingDecision.PENDING}

    response = client.post(
        url, {f"{prefix}-decision": "keep", f"{prefix}-reason": "本单位值班电话，应当公开"}
    )
    assert response.status_code == 302
    assert client.get(response.url).content.decode().count("本单位值班电话，应当公开") >= 2
    decisions = dict(sub.findings.values_list("value", "decision"))
    assert decisions == {
        MOBILE: FindingDecision.KEEP,
        f"{MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}": FindingDecision.KEEP,
        "13800001111": FindingDecision.PENDING,  # another value: still to settle on its own
    }


def test_staff_who_may_not_settle_cannot_settle_by_value(client, world):
    client.force_login(world.a.unit_head)
    url = reverse(
        "workbench:findings_settle_value", kwargs={"pk": world.at_office.pk, "finding_pk": world.finding.pk}
    )
    assert client.post(url, {f"finding-{world.finding.pk}-decision": "redact"}).status_code == 403
    world.finding.refresh_from_db()
    assert world.finding.decision == FindingDecision.PENDING


def test_secrecy_marks_cannot_be_settled_by_value(world):
    """A secrecy mark is never blacked out wholesale: the secrecy reviewer decides each one."""
    from gongkai.core.scan.findings import Kind
    from gongkai.publishing.services import PublishingError
    from gongkai.publishing.settlement import findings_settle_value

    a = world.a
    sub = submission_submit(
        submission=draft(a, title="关于工作安排的通知", body="机密★5年\n正文。"), actor=a.clerk
    )
    sub = submission_decide(submission=sub, actor=a.unit_head, decision=Decision.APPROVE)
    mark = sub.findings.get(kind=Kind.SECRECY_MARK)
    with pytest.raises(PublishingError, match="密级标志"):
        findings_settle_value(
            submission=sub, kind=mark.kind, value=mark.value, actor=a.office_head, decision="redact"
        )
    mark.refresh_from_db()
    assert mark.decision == FindingDecision.PENDING
