"""Every action form of the application page, sent with something wrong: the page comes back with
what was typed, the reason (the form's or the service's), the form itself on the page (even when
the action is no longer offered, so the text can be kept), and nothing recorded."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application

from .applications_world import AppWorld, apps_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FUTURE = (TODAY + timedelta(days=3)).isoformat()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()


def _version(application: Application) -> int:
    return Application.objects.get(pk=application.pk).version


@dataclass
class Refused:
    name: str  # the URL name of the action
    application: Callable[[AppWorld], Application]
    data: Callable[[AppWorld], dict]
    typed: str | None  # what the user typed and must see again (None: a choice from a list only)
    reason: str  # the form's or the service's message
    kwargs: Callable[[AppWorld], dict] = lambda w: {}
    user: Callable[[AppWorld], object] = lambda w: w.a.clerk
    meanwhile: Callable[[AppWorld], object] = lambda w: None  # a colleague acts after the page was shown


def _answered(w: AppWorld):
    return services.consultation_end(
        consultation=w.consultation, on=TODAY, answer="consent", reasons="", actor=w.a.office_head
    )


REFUSED = [
    Refused("application_confirm", lambda w: w.submitted,  # before the applicant submitted it
            lambda w: {"confirm-on": YESTERDAY, "confirm-version": w.submitted.version},
            YESTERDAY, "确认日期不能早于提交日期"),
    Refused("application_correction", lambda w: w.awaiting,  # asked once already (Art. 30)
            lambda w: {"correction-items": "请补充文件的成文年份", "correction-days": 10,
                       "correction-on": TODAY.isoformat()},
            "请补充文件的成文年份", "补正只能告知一次"),
    Refused("application_correction_receive", lambda w: w.received,  # no correction was asked for
            lambda w: {"correction_receive-on": TODAY.isoformat(),
                       "correction_receive-description": "补正后：2024年度学区划分方案"},
            "补正后：2024年度学区划分方案", "不能进行此操作"),
    Refused("application_consult", lambda w: w.decided,  # decided already
            lambda w: {"consult-party": "agency", "consult-party_name": "江州市自然资源和规划局",
                       "consult-on": TODAY.isoformat()},
            "江州市自然资源和规划局", "只有办理中的申请可以征求意见"),
    Refused("application_consult_end", lambda w: w.consulting,  # no answer chosen
            lambda w: {f"consultation-{w.consultation.pk}-on": TODAY.isoformat(),
                       f"consultation-{w.consultation.pk}-reasons": "涉及本公司的投标报价"},
            "涉及本公司的投标报价", "这个字段是必填项",
            kwargs=lambda w: {"consultation_pk": w.consultation.pk}),
    Refused("application_consult_end", lambda w: w.consulting,  # answered meanwhile
            lambda w: {f"consultation-{w.consultation.pk}-on": TODAY.isoformat(),
                       f"consultation-{w.consultation.pk}-answer": "refuse",
                       f"consultation-{w.consultation.pk}-reasons": "不同意公开投标报价"},
            "不同意公开投标报价", "该征求意见已办结",
            kwargs=lambda w: {"consultation_pk": w.consultation.pk}, meanwhile=_answered),
    Refused("application_extend", lambda w: w.received,  # more than 20 working days (Art. 33)
            lambda w: {"extension-days": 25, "extension-reason": "需调取2019年的档案",
                       "extension-on": TODAY.isoformat()},
            "需调取2019年的档案", "20", user=lambda w: w.a.office_head),
    Refused("application_fee_notice", lambda w: w.received,  # within the free range
            lambda w: {"fee-method": "per_count", "fee-amount": "123.45", "fee-on": TODAY.isoformat()},
            'value="123.45"', "免费范围"),
    Refused("application_fee_pay", lambda w: w.with_fee,  # not the amount noticed
            lambda w: {f"fee-{w.fee.pk}-pay-on": TODAY.isoformat(), f"fee-{w.fee.pk}-pay-amount": "9.00",
                       f"fee-{w.fee.pk}-pay-receipt_no": "非税收入票据No.7731"},
            "非税收入票据No.7731", "缴费金额应为10.00元", kwargs=lambda w: {"fee_pk": w.fee.pk}),
    Refused("application_fee_waive", lambda w: w.with_fee,  # a "reduction" above the fee
            lambda w: {f"fee-{w.fee.pk}-waive-reduced_to": "20.00",
                       f"fee-{w.fee.pk}-waive-reason": "申请人持有低保证明"},
            "申请人持有低保证明", "减免后金额须低于原金额",
            kwargs=lambda w: {"fee_pk": w.fee.pk}, user=lambda w: w.a.office_head),
    Refused("application_decide", lambda w: w.received,  # partial disclosure without the parts
            lambda w: {"decide-outcome": "partially_disclosed", "decide-reasons": "名单含学生的个人信息",
                       "decide-provided_how": "挂号信邮寄", "decide-version": w.received.version},
            "名单含学生的个人信息", "第三十七条"),
    Refused("application_transfer", lambda w: w.decided,  # decided already
            lambda w: {"transfer-other_agency": "江州市住房保障局，电话0571-55550000",
                       "transfer-reasons": "该信息由市住房保障局制作。", "transfer-version": _version(w.decided)},
            "江州市住房保障局，电话0571-55550000", "不能进行此操作"),
    Refused("application_provided_file", lambda w: w.received,  # not a file the platform accepts
            lambda w: {"provided-file": SimpleUploadedFile("名单.pdf", b"MZ\x90\x00 not a pdf at all"),
                       "provided-redact": "王小明\n13900001111"},
            "王小明\n13900001111", "文件"),
    Refused("application_deliver", lambda w: w.decided,  # a delivery date still to come
            lambda w: {f"letter-{w.reply.pk}-method": "post", f"letter-{w.reply.pk}-on": FUTURE,
                       f"letter-{w.reply.pk}-proof": "挂号信XA20260001"},
            "挂号信XA20260001", "日期不能晚于今天", kwargs=lambda w: {"letter_pk": w.reply.pk}),
    Refused("application_merge", lambda w: w.received, lambda w: {"merge-into": "20260101777777"},
            'value="20260101777777"', "没有编号"),
    Refused("application_case", lambda w: w.received,  # decided before it was filed
            lambda w: {"case-kind": "litigation_direct", "case-filed_on": TODAY.isoformat(),
                       "case-decided_on": YESTERDAY, "case-result": "upheld", "case-note": "滨江区人民法院（2026）行初12号"},
            "滨江区人民法院（2026）行初12号", "结案日期不能早于立案日期"),
    Refused("application_case_result", lambda w: w.decided,  # the service checks the filing date
            lambda w: {f"remedy-{w.case.pk}-decided_on": YESTERDAY, f"remedy-{w.case.pk}-result": "corrected",
                       f"remedy-{w.case.pk}-note": "复议决定书江政复〔2026〕3号"},
            "复议决定书江政复〔2026〕3号", "结案日期不能早于立案日期", kwargs=lambda w: {"case_pk": w.case.pk}),
    Refused("application_assign", lambda w: w.received,  # a clerk of another agency
            lambda w: {"assign-assignee": w.b.clerk.pk}, None, "选择一个有效的选项"),
    Refused("application_link", lambda w: w.received, lambda w: {"link-other": "20260101888888"},
            'value="20260101888888"', "没有编号"),
]  # fmt: skip


def _footprint(application: Application) -> tuple:
    """What any action would leave behind on the application."""
    a = Application.objects.get(pk=application.pk)
    return (
        a.version,
        a.state,
        a.assigned_to_id,
        a.letters.count(),
        a.files.count(),
        a.deliveries.count(),
        a.clock_events.count(),
        list(a.consultations.values_list("answer", flat=True)),
        list(a.fees.values_list("paid_on", "waived_to")),
        list(a.cases.values_list("decided_on", "result", "note")),
        list(a.related.values_list("pk", flat=True)),
    )


@pytest.mark.parametrize("r", REFUSED, ids=lambda r: r.name)
def test_a_refused_action_keeps_what_was_typed_and_says_why(client, apps, r):
    application = r.application(apps)
    r.meanwhile(apps)
    before = _footprint(application)
    client.force_login(r.user(apps))
    url = reverse(f"workbench:{r.name}", kwargs={"pk": application.pk, **r.kwargs(apps)})
    response = client.post(url, r.data(apps))
    page = response.content.decode()
    assert response.status_code == 200, page[:3000]
    assert r.reason in page
    if r.typed is not None:
        assert r.typed in page
    assert f'action="{url}"' in page  # the form itself, to send again once corrected
    assert _footprint(application) == before


def test_a_decision_a_colleague_made_first_leaves_the_typed_one_on_the_page(client, apps):
    application = apps.received
    stale = _version(application)  # the page the clerk has open
    client.force_login(apps.a.office_head)
    url = reverse("workbench:application_decide", kwargs={"pk": application.pk})
    done = client.post(url, {"decide-outcome": "disclosed", "decide-version": stale})
    assert done.status_code == 302

    client.force_login(apps.a.clerk)
    response = client.post(url, {
        "decide-outcome": "withheld_process", "decide-reasons": "属于内部讨论记录（第十六条）", "decide-version": stale,
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 409
    assert "已被他人处理或修改" in page and "当前状态：已决定待送达" in page
    assert "属于内部讨论记录（第十六条）" in page and f'action="{url}"' in page
    assert Application.objects.get(pk=application.pk).outcome == "disclosed"
