"""Letters as drafts (issue 18 item 2): sign-off per outcome as a setting, numbering at signing,
the decision date (the clock's) at signing, edit within the template, void and reissue with the
number kept in the register, a clerk's extension proposal approved by the office head, and the
clerk's own item numbers not doubled in the letter."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.letters import item_text
from gongkai.applications.models import Letter
from gongkai.applications.rules import (
    ApplicantType,
    ApplicationState,
    Channel,
    LetterStatus,
    Outcome,
    signoff_steps,
)
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

SIGNOFF = {
    "reply": ["office_head"],
    "reply:withheld": ["office_head", "reviewer", "leader"],
    "reply:partially_disclosed": ["office_head", "reviewer", "leader"],
}


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    return {
        "agency": agency,
        "clerk": make_staff(agency, Role.CLERK),
        "head": make_staff(agency, Role.OFFICE_HEAD),
        "reviewer": make_staff(agency, Role.REVIEWER),
        "leader": make_staff(agency, Role.LEADER),
        "outsider": make_staff(make_agency("江州市财政局"), Role.OFFICE_HEAD),
    }


def register(office, received_on=None):
    return services.application_register(
        data={
            "agency": office["agency"],
            "applicant_type": ApplicantType.NATURAL_PERSON,
            "name": "张三",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "email": "zhangsan@example.com",
            "address": "江州市滨江区江滨路1号",
            "description": "2025年江州市义务教育阶段学校招生计划",
            "form": "electronic",
            "delivery": "email",
        },
        channel=Channel.POST,
        received_on=received_on or timezone.localdate() - timedelta(days=3),
        actor=office["clerk"],
    ).application


def test_sign_off_is_data_and_none_by_default():
    assert signoff_steps("reply", Outcome.DISCLOSED) == []  # the law's default: none
    assert signoff_steps("reply", Outcome.DISCLOSED, SIGNOFF) == ["office_head"]
    assert signoff_steps("reply", Outcome.WITHHELD_PROCESS, SIGNOFF) == ["office_head", "reviewer", "leader"]
    assert signoff_steps("reply", Outcome.PARTIALLY_DISCLOSED, SIGNOFF)[-1] == "leader"


def test_without_sign_off_a_reply_is_numbered_and_decides_at_once(office):
    app = register(office)
    letter = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    app.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED and letter.letter_no and letter.signed_at
    assert app.state == ApplicationState.DECIDED and app.decided_on == timezone.localdate()


@override_settings(GONGKAI_LETTER_SIGNOFF=SIGNOFF)
def test_a_refusal_is_a_draft_until_head_reviewer_and_leader_sign_in_order(office):
    app = register(office)
    draft = services.application_decide(
        application=app, outcome=Outcome.WITHHELD_PROCESS, reasons="1. 属于过程性信息", actor=office["clerk"]
    )
    app.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT and draft.letter_no == ""
    assert app.state == ApplicationState.RECEIVED and app.decided_on is None  # the clock runs on
    assert services.next_signoff(draft) == "office_head"
    with pytest.raises(services.NotPermitted):  # the leader signs last, not first
        services.letter_sign(letter=draft, actor=office["leader"])
    with pytest.raises(services.NotPermitted):
        services.letter_sign(letter=draft, actor=office["outsider"])
    with pytest.raises(services.ApplicationError):  # a draft is not sent
        services.letter_deliver(letter=draft, method="post", on=timezone.localdate(), actor=office["clerk"])
    draft = services.letter_sign(letter=draft, actor=office["head"])
    draft = services.letter_sign(letter=draft, actor=office["reviewer"], note="经法制审核，理由充分")
    assert draft.status == LetterStatus.DRAFT and draft.letter_no == ""
    signed = services.letter_sign(letter=draft, actor=office["leader"])
    app.refresh_from_db()
    assert signed.status == LetterStatus.SIGNED and signed.letter_no.endswith("1号")
    assert [s["role"] for s in signed.signoffs] == ["office_head", "reviewer", "leader"]
    assert app.state == ApplicationState.DECIDED and app.outcome == Outcome.WITHHELD_PROCESS
    assert app.decided_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="letter_sign").count() == 1
    with pytest.raises(services.ApplicationError):  # signed once
        services.letter_sign(letter=signed, actor=office["head"])


@override_settings(GONGKAI_LETTER_SIGNOFF=SIGNOFF)
def test_the_clerk_edits_a_draft_within_its_template_and_the_sign_offs_start_again(office):
    app = register(office)
    draft = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    title, fixed = draft.title, draft.paragraphs[0]
    draft = services.letter_edit(letter=draft, provided_how="电子邮件发送", actor=office["clerk"])
    assert draft.title == title and draft.paragraphs[0] == fixed
    assert any("电子邮件发送" in p for p in draft.paragraphs)
    with pytest.raises(services.ApplicationError):  # one draft reply at a time
        services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    signed = services.letter_sign(letter=draft, actor=office["head"])
    with pytest.raises(services.ApplicationError):  # an issued letter is not edited
        services.letter_edit(letter=signed, provided_how="邮寄", actor=office["clerk"])


@override_settings(GONGKAI_LETTER_SIGNOFF=SIGNOFF)
def test_a_voided_letter_keeps_its_number_and_the_reissue_gets_the_next(office):
    app = register(office)
    draft = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    thrown = services.letter_void(letter=draft, reason="重拟", actor=office["clerk"])
    assert thrown.status == LetterStatus.VOID and thrown.letter_no == ""  # no number taken
    draft = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    first = services.letter_sign(letter=draft, actor=office["head"])
    with pytest.raises(services.NotPermitted):  # an issued letter is voided by the head only
        services.letter_void(letter=first, reason="提供方式写错", actor=office["clerk"])
    voided = services.letter_void(letter=first, reason="提供方式写错", actor=office["head"])
    assert voided.status == LetterStatus.VOID and voided.letter_no == first.letter_no
    again = services.letter_reissue(letter=voided, provided_how="电子邮件发送", actor=office["clerk"])
    assert again.status == LetterStatus.DRAFT
    again = services.letter_sign(letter=again, actor=office["head"])
    voided.refresh_from_db()
    app.refresh_from_db()
    assert voided.superseded_by == again and again.letter_no != voided.letter_no
    assert again.letter_no.endswith("2号") and app.state == ApplicationState.DECIDED
    register_ = list(
        Letter.objects.filter(application=app).exclude(letter_no="").values_list("letter_no", "status")
    )
    assert register_ == [(first.letter_no, "void"), (again.letter_no, "signed")]
    services.letter_deliver(letter=again, method="post", on=timezone.localdate(), actor=office["clerk"])
    with pytest.raises(services.ApplicationError):
        services.letter_void(letter=again, reason="x", actor=office["head"])


def test_a_clerk_proposes_an_extension_and_the_office_head_approves_it(office):
    app = register(office)
    original = app.reply_due_on
    with pytest.raises(services.NotPermitted):
        services.extension_grant(application=app, days=10, reason="需调取档案", actor=office["clerk"])
    proposal = services.extension_propose(
        application=app, days=10, reason="需调取档案", actor=office["clerk"]
    )
    app.refresh_from_db()
    assert proposal.kind == "extension" and proposal.status == LetterStatus.DRAFT
    assert app.reply_due_on == original  # nothing extended until approved
    with pytest.raises(services.NotPermitted):
        services.letter_sign(letter=proposal, actor=office["clerk"])
    letter = services.letter_sign(letter=proposal, actor=office["head"])
    app.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED and letter.letter_no
    assert app.reply_due_on > original
    assert any(app.reply_due_on.strftime("%Y年") in p for p in letter.paragraphs)


@pytest.mark.parametrize(
    "typed, printed",
    [
        ("1. 身份证复印件", "身份证复印件"),
        ("1、身份证复印件", "身份证复印件"),
        ("（1）身份证复印件", "身份证复印件"),
        ("(2) 身份证复印件", "身份证复印件"),
        ("一、身份证复印件", "身份证复印件"),
        ("①身份证复印件", "身份证复印件"),
        ("1.5吨以上车辆名单", "1.5吨以上车辆名单"),
        ("2025年招生计划", "2025年招生计划"),
    ],
)
def test_the_number_the_clerk_typed_is_not_printed_twice(typed, printed):
    assert item_text(typed) == printed


def test_a_correction_notice_numbers_the_clerks_items_once(office):
    app = register(office)
    letter = services.correction_request(
        application=app,
        items=["1. 请提供身份证明", "2. 请明确所需信息的名称"],
        days=15,
        actor=office["clerk"],
    )
    body = "\n".join(letter.paragraphs)
    assert "（1）请提供身份证明" in body and "（2）请明确所需信息的名称" in body
    assert "（1）1." not in body


@override_settings(GONGKAI_LETTER_SIGNOFF=SIGNOFF)
def test_a_partial_disclosure_keeps_its_withheld_parts_through_edit_and_signing(office):
    app = register(office)
    draft = services.application_decide(
        application=app, outcome=Outcome.PARTIALLY_DISCLOSED, reasons="部分涉及个人信息",
        withheld_parts=[("（一）学生名单", "属于他人的个人信息")], actor=office["clerk"],
    )  # fmt: skip
    draft = services.letter_edit(letter=draft, reasons="部分内容涉及学生个人信息", actor=office["clerk"])
    for who in ("head", "reviewer", "leader"):
        draft = services.letter_sign(letter=draft, actor=office[who])
    body = "\n".join(draft.paragraphs)
    assert draft.status == LetterStatus.SIGNED and "（1）学生名单：属于他人的个人信息" in body
    assert "部分内容涉及学生个人信息" in body and "（一）" not in body


def test_without_sign_off_an_issued_letter_is_voided_and_reissued_by_the_office_head(office):
    app = register(office)
    first = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    services.letter_void(letter=first, reason="提供方式写错", actor=office["head"])
    again = services.letter_reissue(letter=first, provided_how="纸质邮寄", actor=office["clerk"])
    assert again.signoff_steps == ["office_head"] and again.status == LetterStatus.DRAFT
    again = services.letter_sign(letter=again, actor=office["head"])
    assert again.letter_no != first.letter_no and any("纸质邮寄" in p for p in again.paragraphs)


def test_a_deployment_sets_the_sign_off_and_the_answer_period_from_its_environment():
    """GONGKAI_LETTER_SIGNOFF and GONGKAI_QUESTION_ANSWER_WORKDAYS come from the environment
    (docs/deployment.md), as every other local policy does."""
    import json
    import os
    import subprocess
    import sys

    policy = {"reply": ["office_head"], "reply:withheld": ["office_head", "leader"]}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "GONGKAI_LETTER_SIGNOFF": json.dumps(policy),
        "GONGKAI_QUESTION_ANSWER_WORKDAYS": "10",
    }
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; import json; "
         "print(json.dumps([settings.GONGKAI_LETTER_SIGNOFF, settings.GONGKAI_QUESTION_ANSWER_WORKDAYS]))"],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(shown.stdout) == [policy, 10]
