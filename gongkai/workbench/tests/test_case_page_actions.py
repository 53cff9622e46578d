"""Issue 18 items 6 and 7 on the case page: only the actions the case's state allows (the state
machine of applications/rules.py decides), grouped (办理, 补正/征求意见, 文书, 送达, 其他) with
the group of the next step open and the rest folded; a filed case shows its 档号 and 卷内目录
and no action; a case closed before filing existed is filed from its page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import CaseFiling
from gongkai.applications.rules import (
    CASE_ACTIONS,
    OPEN_STATES,
    ApplicationState,
    case_action_allowed,
    next_state,
)

from .applications_world import AppWorld, apps_fixture, register  # noqa: F401

pytestmark = pytest.mark.django_db


def _page(client, user, application) -> str:
    client.force_login(user)
    response = client.get(reverse("workbench:application_detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _groups(html: str) -> dict[str, bool]:
    """The action groups on the page: key -> shown open."""
    return {
        m.group(1): bool(m.group(2))
        for m in re.finditer(r'<details class="wb-action-group" data-group="(\w+)"( open)?>', html)
    }


def _section(html: str, group: str) -> str:
    start = html.index(f'data-group="{group}"')
    return html[start : html.index("</details>", start)]


def test_the_state_machine_decides_which_actions_a_state_allows():
    for action, (_group, states) in CASE_ACTIONS.items():
        for state in ApplicationState.values:
            assert case_action_allowed(action, state) == (state in states), (action, state)
    # the actions that change the state follow the machine's events
    for action, event in (
        ("confirm", "confirm"),
        ("decide", "decide"),
        ("merge", "merge"),
        ("abandon", "abandon"),
    ):
        for state in ApplicationState.values:
            assert case_action_allowed(action, state) == (next_state(state, event) is not None)
    assert not any(case_action_allowed(a, ApplicationState.MERGED) for a in CASE_ACTIONS)
    assert set(CASE_ACTIONS["assign"][1]) == set(OPEN_STATES)


def test_a_case_in_hand_opens_the_decision_and_folds_the_rest(client, apps: AppWorld):
    html = _page(client, apps.a.clerk, apps.received)
    groups = _groups(html)
    assert groups == {"handle": True, "consult": False, "letters": False, "other": False}
    assert 'id="decide"' in _section(html, "handle") and 'id="transfer"' in _section(html, "handle")
    assert 'id="confirm"' not in html  # received already
    assert 'id="consult"' in _section(html, "consult") and 'id="correction"' in _section(html, "consult")
    assert 'id="fee"' in _section(html, "letters") and 'id="excessive"' in _section(html, "letters")
    assert 'id="assign"' in _section(html, "other")
    assert 'data-group="delivery"' not in html  # nothing to deliver yet


def test_each_state_shows_only_its_own_actions(client, apps: AppWorld):
    submitted = _page(client, apps.a.clerk, apps.submitted)
    assert _groups(submitted)["handle"] is True and 'id="confirm"' in _section(submitted, "handle")
    for absent in ('id="decide"', 'id="fee"', 'id="consult"', 'id="extend"'):
        assert absent not in submitted
    awaiting = _page(client, apps.a.clerk, apps.awaiting)
    assert _groups(awaiting)["consult"] is True  # the next step: the applicant's correction
    assert 'id="correction-receive"' in _section(awaiting, "consult")
    assert 'id="fee"' not in awaiting and 'id="consult"' not in awaiting
    decided = _page(client, apps.a.clerk, apps.decided)
    assert _groups(decided) == {"delivery": True, "other": False}
    assert f'href="#letter-{apps.reply.pk}"' in _section(decided, "delivery")
    assert 'id="decide"' not in decided and 'id="fee"' not in decided


def test_a_filed_case_shows_its_number_and_contents_and_no_action(client, apps: AppWorld):
    services.letter_deliver(letter=apps.reply, method="post", on=timezone.localdate(), actor=apps.a.clerk)
    filing = CaseFiling.objects.get(application=apps.decided)
    html = _page(client, apps.a.clerk, apps.decided)
    assert _groups(html) == {}
    assert filing.archive_no in html and 'id="filing-contents"' in html
    assert html.count("<tr>") - 1 >= len(filing.contents)  # header + one row per document
    assert "送达凭证" in html and "已归档" in html


def test_a_case_closed_before_filing_existed_is_filed_from_its_page(client, apps: AppWorld):
    services.letter_deliver(letter=apps.reply, method="post", on=timezone.localdate(), actor=apps.a.clerk)
    CaseFiling.objects.filter(application=apps.decided).delete()  # as if closed before issue 18
    html = _page(client, apps.a.clerk, apps.decided)
    assert _groups(html) == {"handle": True} and 'id="file-case"' in html
    response = client.post(reverse("workbench:application_file_case", args=[apps.decided.pk]))
    assert response.status_code == 302
    filing = CaseFiling.objects.get(application=apps.decided)
    html = _page(client, apps.a.clerk, apps.decided)
    assert filing.archive_no in html and 'id="file-case"' not in html
    again = client.post(reverse("workbench:application_file_case", args=[apps.decided.pk]))
    assert again.status_code == 200 and "该申请已归档" in again.content.decode()
    client.force_login(apps.outsider)
    assert client.post(reverse("workbench:application_file_case", args=[apps.decided.pk])).status_code == 404


def _textarea(html: str, name: str) -> str:
    import html as html_lib

    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, name
    return html_lib.unescape(match.group(1)).strip()


def test_the_redaction_grounds_fill_the_decisions_withheld_parts_once(client, apps: AppWorld):
    from .applications_world import MOBILE, sample_pdf

    application = register(apps.a, description="某公司中标合同及报价")
    services.provided_file_add(
        application=application, data=sample_pdf(f"Quote: phone {MOBILE}, unit price 8800"), filename="中标合同.pdf",
        redact=[MOBILE, ("unit price 8800", "withheld_third_party")], actor=apps.a.clerk,
    )  # fmt: skip
    html = _page(client, apps.a.clerk, application)
    prefilled = _textarea(html, "decide-withheld_parts")
    lines = prefilled.splitlines()
    assert len(lines) == 2 and all("中标合同" in line and "｜" in line for line in lines)
    assert MOBILE not in prefilled and "8800" not in prefilled  # the grounds, never the values
    assert any("个人信息" in line for line in lines)
    # sent back as shown, with one more part typed by the clerk: each part listed once
    version = re.search(r'name="decide-version"[^>]*value="(\d+)"', html).group(1)
    response = client.post(reverse("workbench:application_decide", args=[application.pk]), {
        "decide-outcome": "partially_disclosed", "decide-reasons": "部分涉及第三方商业秘密",
        "decide-withheld_parts": prefilled + "\n投标人联系人｜涉及个人隐私", "decide-version": version,
    })  # fmt: skip
    assert response.status_code == 302
    reply = application.letters.get(kind="reply")
    text = "\n".join(reply.paragraphs)
    parts = [line.split("｜")[0] for line in lines]
    for part in parts:
        assert text.count(part) == parts.count(part)  # not doubled by the prefill
    assert "投标人联系人" in text
