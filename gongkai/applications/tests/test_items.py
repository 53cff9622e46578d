"""Replies item by item (分项答复, issue 18 item 5): each item its own outcome, grounds and files;
one letter answers them all, with remedies as the outcomes call for; the application keeps one
outcome (partly disclosed only when the items differ); the applicant and the case file see the
items."""

import pymupdf
import pytest
from django.test import override_settings
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.case_file import case_file_summary
from gongkai.applications.models import ApplicationItem
from gongkai.applications.progress import application_progress
from gongkai.applications.rules import ApplicantType, ApplicationState, Channel, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.selectors_applications import application_file
from gongkai.workbench.tests.applications_world import applicant

pytestmark = pytest.mark.django_db

FIRST = "应当先向"  # reconsideration before litigation (复议前置)
EITHER = "也可以自收到本答复之日起6个月内直接向"


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    return {
        "agency": agency,
        "clerk": make_staff(agency, Role.CLERK),
        "head": make_staff(agency, Role.OFFICE_HEAD),
    }


def register(office):
    data = {
        "agency": office["agency"],
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "江州市滨江区江滨路1号",
        "description": "2025年招生计划、校长办公会纪要、教师花名册",
        "form": "electronic",
        "delivery": "email",
    }
    return services.application_register(
        data=data, channel=Channel.POST, received_on=timezone.localdate(), actor=office["clerk"]
    ).application


def pdf(*lines: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    for i, line in enumerate(lines):
        page.insert_text((50, 72 + 20 * i), line)
    return doc.tobytes()


def split(app, clerk, *descriptions):
    return [services.item_add(application=app, description=d, actor=clerk) for d in descriptions]


def deliver(letter, clerk):
    services.letter_deliver(
        letter=letter, method="email", on=timezone.localdate(), proof="邮件回执", actor=clerk
    )


def test_items_with_different_outcomes_get_one_letter_in_order_and_count_as_partly_disclosed(office):
    clerk = office["clerk"]
    app = register(office)
    plan, minutes, roster = split(app, clerk, "2025年招生计划", "校长办公会纪要", "教师花名册")
    roster_file = services.provided_file_add(
        application=app, data=pdf("Li Si 13987654321", "Wang Wu"), filename="花名册.pdf",
        redact=["13987654321"], actor=clerk,
    )  # fmt: skip
    services.item_record(item=plan, outcome=Outcome.DISCLOSED, provided_how="电子邮件", actor=clerk)
    services.item_record(
        item=minutes, outcome=Outcome.WITHHELD_PROCESS, reasons="系内部讨论记录", actor=clerk
    )
    services.item_record(
        item=roster,
        outcome=Outcome.PARTIALLY_DISCLOSED,
        reasons="含他人个人信息",
        files=[roster_file],
        actor=clerk,
    )

    letter = services.application_decide(application=app, outcome="", actor=clerk)

    app.refresh_from_db()
    assert app.outcome == Outcome.PARTIALLY_DISCLOSED and app.state == ApplicationState.DECIDED
    assert letter.outcome == Outcome.PARTIALLY_DISCLOSED and letter.letter_no
    text = "\n".join(letter.paragraphs)
    one, two, three = (
        text.index(f"{n}、关于“{d}”")
        for n, d in zip("一二三", ["2025年招生计划", "校长办公会纪要", "教师花名册"], strict=True)
    )
    assert one < two < three
    assert "第三十六条第二项" in text[one:two] and "提供方式：电子邮件" in text[one:two]
    assert "第十六条第二款" in text[two:three] and "系内部讨论记录" in text[two:three]
    assert "第三十七条" in text[three:] and "“花名册.pdf”中遮盖的1处内容：属于他人的个人信息" in text[three:]
    assert "13987654321" not in text
    # Remedies once: reconsideration first for item 2 and item 3's withheld part, the choice for the rest.
    remedy = next(p for p in letter.paragraphs if "行政复议" in p)
    assert remedy.startswith("如对本答复第二项的决定和第三项中不予公开部分的决定不服") and FIRST in remedy
    assert "对本答复的其他内容不服" in remedy and "江州市滨江区人民法院" in remedy
    assert sum("行政复议" in p for p in letter.paragraphs) == 1


def test_items_sharing_one_outcome_count_under_it_and_the_remedies_follow_it(office):
    clerk = office["clerk"]
    app = register(office)
    for item in split(app, clerk, "校长办公会纪要", "党组会议记录"):
        services.item_record(item=item, outcome=Outcome.WITHHELD_PROCESS, reasons="过程性信息", actor=clerk)
    letter = services.application_decide(application=app, outcome="", actor=clerk)
    app.refresh_from_db()
    assert app.outcome == Outcome.WITHHELD_PROCESS
    text = "\n".join(letter.paragraphs)
    assert text.count("本机关决定不予公开") == 2
    assert "如对本答复不服" in text and FIRST in text and "人民法院（地址" not in text  # 复议前置 for all

    other = register(office)
    for item in split(other, clerk, "招生计划", "收费标准"):
        services.item_record(item=item, outcome=Outcome.DISCLOSED, actor=clerk)
    letter = services.application_decide(application=other, outcome="", actor=clerk)
    other.refresh_from_db()
    assert other.outcome == Outcome.DISCLOSED
    text = "\n".join(letter.paragraphs)
    assert FIRST not in text and EITHER in text


def test_differing_outcomes_without_a_refusal_leave_the_applicant_the_choice(office):
    clerk = office["clerk"]
    app = register(office)
    plan, tax = split(app, clerk, "招生计划", "全市税收数据")
    services.item_record(item=plan, outcome=Outcome.DISCLOSED, actor=clerk)
    services.item_record(
        item=tax, outcome=Outcome.UNAVAILABLE_NOT_HELD, other_agency="江州市税务局（0576-88882222）",
        reasons="本机关不掌握", actor=clerk,
    )  # fmt: skip
    letter = services.application_decide(application=app, outcome="", actor=clerk)
    app.refresh_from_db()
    assert app.outcome == Outcome.PARTIALLY_DISCLOSED  # items differ: 区分处理, counted under （二）
    text = "\n".join(letter.paragraphs)
    assert "江州市税务局" in text and FIRST not in text and EITHER in text
    deliver(letter, clerk)
    app.refresh_from_db()
    progress = application_progress(app)
    assert not progress.remedies.reconsideration_first and progress.remedies.court
    assert [(i.outcome, i.description) for i in progress.items] == [
        (Outcome.DISCLOSED, "招生计划"),
        (Outcome.UNAVAILABLE_NOT_HELD, "全市税收数据"),
    ]


def test_every_item_needs_its_outcome_and_the_grounds_its_outcome_requires(office):
    clerk = office["clerk"]
    app = register(office)
    first, second = split(app, clerk, "招生计划", "会议纪要")
    services.item_record(item=first, outcome=Outcome.DISCLOSED, actor=clerk)
    with pytest.raises(services.ApplicationError, match="第2项尚未确定"):
        services.application_decide(application=app, outcome="", actor=clerk)
    with pytest.raises(services.ApplicationError, match="须说明理由"):
        services.item_record(item=second, outcome=Outcome.WITHHELD_PROCESS, actor=clerk)
    with pytest.raises(services.ApplicationError, match="第三十七条"):
        services.item_record(item=second, outcome=Outcome.PARTIALLY_DISCLOSED, reasons="部分", actor=clerk)
    services.item_record(
        item=second, outcome=Outcome.PARTIALLY_DISCLOSED, reasons="部分", actor=clerk,
        withheld_parts=[("参会人员发言", "属于过程性信息（第十六条第二款）")],
    )  # fmt: skip
    with pytest.raises(services.ApplicationError, match="分项办理"):
        services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=clerk)
    letter = services.application_decide(application=app, outcome="", actor=clerk)
    assert "（1）参会人员发言：属于过程性信息" in "\n".join(letter.paragraphs)
    with pytest.raises(services.ApplicationError, match="不能再调整分项"):
        services.item_add(application=app, description="再加一项", actor=clerk)
    assert AuditEvent.objects.filter(action="application_item_record").count() == 2


def test_only_the_agencys_clerks_split_and_a_mistaken_item_can_be_taken_back(office):
    app = register(office)
    outsider = make_staff(make_agency("江州市财政局"), Role.CLERK)
    with pytest.raises(services.NotPermitted):
        services.item_add(application=app, description="招生计划", actor=outsider)
    first, second = split(app, office["clerk"], "招生计划", "重复了")
    services.item_remove(item=second, actor=office["clerk"])
    assert list(ApplicationItem.objects.filter(application=app)) == [first]
    assert AuditEvent.objects.filter(action="application_item_remove").exists()


@override_settings(GONGKAI_LETTER_SIGNOFF={"reply:partially_disclosed": ["office_head"]})
def test_a_reply_item_by_item_awaiting_sign_off_decides_when_signed_and_keeps_its_items(office):
    clerk, head = office["clerk"], office["head"]
    app = register(office)
    plan, minutes = split(app, clerk, "招生计划", "会议纪要")
    services.item_record(item=plan, outcome=Outcome.DISCLOSED, actor=clerk)
    services.item_record(item=minutes, outcome=Outcome.WITHHELD_PROCESS, reasons="过程性信息", actor=clerk)
    draft = services.application_decide(application=app, outcome="", actor=clerk)
    assert draft.status == "draft" and not draft.letter_no
    with pytest.raises(services.ApplicationError, match="待签发"):
        services.item_record(item=plan, outcome=Outcome.WITHHELD_PROCESS, reasons="x", actor=clerk)
    signed = services.letter_sign(letter=draft, actor=head)
    app.refresh_from_db()
    assert signed.letter_no and app.outcome == Outcome.PARTIALLY_DISCLOSED
    assert "一、关于“招生计划”" in signed.paragraphs and "二、关于“会议纪要”" in signed.paragraphs


def test_an_application_without_items_is_decided_as_before(office):
    app = register(office)
    letter = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    assert "分项" not in "\n".join(letter.paragraphs)
    assert application_progress(app).items == []


def test_the_case_file_lists_the_items_with_their_outcomes(office):
    clerk = office["clerk"]
    app = register(office)
    plan, minutes = split(app, clerk, "招生计划", "会议纪要")
    services.item_record(item=plan, outcome=Outcome.DISCLOSED, actor=clerk)
    services.item_record(item=minutes, outcome=Outcome.WITHHELD_PROCESS, reasons="过程性信息", actor=clerk)
    file = application_file(app)
    summary = case_file_summary(app, file, {}, {})
    assert [(i["no"], i["description"], i["outcome"]) for i in summary["items"]] == [
        (1, "招生计划", "予以公开"),
        (2, "会议纪要", "不予公开：属于四类过程性信息"),
    ]
    assert summary["items"][1]["reasons"] == "过程性信息"


def test_the_applicant_sees_each_items_outcome_in_the_status_api_and_on_the_progress_page(client, office):
    clerk = office["clerk"]
    done = services.application_submit_online(data=applicant(office["agency"]))
    app = services.application_confirm_receipt(
        application=done.application, on=timezone.localdate(), actor=clerk
    )
    plan, minutes = split(app, clerk, "招生计划", "会议纪要")
    url = f"/api/v1/applications/{app.tracking_no}/status"
    before = client.post(url, {"code": done.query_code}, content_type="application/json").json()
    assert [(i["no"], i["description"], i["outcome"]) for i in before["items"]] == [
        (1, "招生计划", None),
        (2, "会议纪要", None),
    ]  # not decided: no outcome yet
    services.item_record(item=plan, outcome=Outcome.DISCLOSED, actor=clerk)
    services.item_record(item=minutes, outcome=Outcome.WITHHELD_PROCESS, reasons="过程性信息", actor=clerk)
    letter = services.application_decide(application=app, outcome="", actor=clerk)
    deliver(letter, clerk)

    body = client.post(url, {"code": done.query_code}, content_type="application/json").json()
    assert body["outcome"] == "partially_disclosed"  # the existing keys keep their meaning
    assert [(i["outcome"], i["outcome_label"]) for i in body["items"]] == [
        ("disclosed", "予以公开"),
        ("withheld_process", "不予公开：属于四类过程性信息"),
    ]
    assert body["remedies"]["reconsideration_first"] is False and body["remedies"]["court"]
    html = client.post(
        "/progress/", {"tracking_no": app.tracking_no, "query_code": done.query_code}
    ).content.decode()
    listed = html[html.index("data-items") :]
    assert listed.index("招生计划：予以公开") < listed.index("会议纪要：不予公开：属于四类过程性信息")
