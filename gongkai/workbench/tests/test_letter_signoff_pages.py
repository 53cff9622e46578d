"""Letters as drafts through the workbench (issue 18 item 2): a refusal drafted by the clerk waits
on the case page and in the approvers' queue, is signed by office head, 法制审核 and leader in
turn from the queue and is then numbered; a clerk's extension proposal is approved by the
office head from the queue."""

import pytest
from django.test import override_settings
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.publishing.tests.factories import make_staff

from .applications_world import AppWorld, apps_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

SIGNOFF = {"reply": ["office_head"], "reply:withheld": ["office_head", "reviewer", "leader"]}


def _sign_from_queue(client, user, letter_pk: int) -> str:
    client.force_login(user)
    queue = client.get(reverse("workbench:application_signoff_queue")).content.decode()
    assert f'id="signoff-{letter_pk}"' in queue
    application_pk = (
        client.get(reverse("workbench:application_signoff_queue")).context["rows"][0]["application"].pk
    )
    url = reverse("workbench:application_letter_sign", kwargs={"pk": application_pk, "letter_pk": letter_pk})
    response = client.post(url, {"note": "同意", "next": "queue"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "workbench:application_signoff_queue"
    )
    return queue


@override_settings(GONGKAI_LETTER_SIGNOFF=SIGNOFF)
def test_a_refusal_goes_from_draft_through_the_queue_to_a_numbered_reply(client, apps: AppWorld):
    a = apps.a
    reviewer, leader = make_staff(a.agency, Role.REVIEWER), make_staff(a.agency, Role.LEADER)
    client.force_login(a.clerk)
    detail = reverse("workbench:application_detail", kwargs={"pk": apps.received.pk})
    response = client.post(
        reverse("workbench:application_decide", kwargs={"pk": apps.received.pk}),
        {
            "decide-outcome": "withheld_process",
            "decide-reasons": "1. 属于讨论记录",
            "decide-version": apps.received.version,
        },
    )
    assert response.status_code == 302
    draft = apps.received.letters.get(kind="reply")
    page = client.get(detail).content.decode()
    assert 'data-letter-status="draft"' in page and "待公开办负责人签发" in page
    assert (
        reverse("workbench:application_letter_edit", kwargs={"pk": apps.received.pk, "letter_pk": draft.pk})
        in page
    )
    pdf = client.get(
        reverse("workbench:application_letter_pdf", kwargs={"pk": apps.received.pk, "letter_pk": draft.pk})
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"  # the preview
    # the leader is not asked before the head and the reviewer have signed
    client.force_login(leader)
    assert (
        f'id="signoff-{draft.pk}"'
        not in client.get(reverse("workbench:application_signoff_queue")).content.decode()
    )
    _sign_from_queue(client, a.office_head, draft.pk)
    _sign_from_queue(client, reviewer, draft.pk)
    _sign_from_queue(client, leader, draft.pk)
    draft.refresh_from_db()
    apps.received.refresh_from_db()
    assert draft.status == "signed" and draft.letter_no and apps.received.state == "decided"
    client.force_login(a.office_head)
    assert "没有待您签发的文书" in client.get(reverse("workbench:application_signoff_queue")).content.decode()


def test_a_clerk_proposes_an_extension_and_the_office_head_approves_it_from_the_queue(client, apps: AppWorld):
    a = apps.a
    client.force_login(a.clerk)
    detail = reverse("workbench:application_detail", kwargs={"pk": apps.received.pk})
    assert (
        reverse("workbench:application_extension_propose", kwargs={"pk": apps.received.pk})
        in client.get(detail).content.decode()
    )
    before = apps.received.reply_due_on
    client.post(
        reverse("workbench:application_extension_propose", kwargs={"pk": apps.received.pk}),
        {"propose-days": 10, "propose-reason": "需调取档案"},
    )
    proposal = apps.received.letters.get(kind="extension")
    assert proposal.status == "draft"
    queue = _sign_from_queue(client, a.office_head, proposal.pk)
    assert apps.received.tracking_no in queue
    apps.received.refresh_from_db()
    proposal.refresh_from_db()
    assert proposal.status == "signed" and apps.received.reply_due_on > before
