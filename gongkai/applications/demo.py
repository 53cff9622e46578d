"""Sample applications for the demo: one of each stage at the city education bureau, so the
workbench and the progress page have something to show. Safe to run again.

Among them (issue 9): a correction notice posted and awaiting its return receipt (listed under
"回执未登记"; the applicant's period has not started), a consultation whose answer period ran
out unanswered (the pause ended by itself, the case is due again), an application past the
7-working-day correction window (a correction notice is refused with the reason) and a fee
for an application split into several matters (一事一申请; the split is in the fee notice).
Issue 18 adds a reply item by item (分项答复) awaiting delivery and a reply posted and signed for
with its 送达回证, which files the case (``_week_of_issue_18``)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency

from . import fees as fee_rules
from . import services
from .models import Application, Consultation
from .paperwork import delivery_receipt_pdf
from .rules import ApplicantType, Channel, Outcome

PERSON = {
    "applicant_type": ApplicantType.NATURAL_PERSON,
    "name": "王小明",
    "id_type": "resident_id",
    # Not an example number (the 1949-12-31 Beijing one of guides and tests and the like): one
    # typed from an example must not match the demo applicant (issue 15).
    "id_number": "360402198607234181",
    "phone": "13812345678",
    "email": "wangxm@example.com",
    "address": "江州市滨江区江滨路1号",
    "form": "electronic",
    "delivery": "email",
}
COMPANY = {
    "applicant_type": ApplicantType.COMMERCIAL_ENTERPRISE,
    "name": "江州市明德教育科技有限公司",
    "org_code": "91110000100000000R",
    "contact_name": "李华",
    "phone": "0571-88001234",
    "address": "江州市高新区科技路8号",
    "form": "paper",
    "delivery": "post",
}


def applications_demo_load(*, education: Agency, clerk_username: str, head_username: str) -> None:
    if Application.objects.filter(agency=education).exists():
        return
    users = get_user_model().objects.in_bulk([clerk_username, head_username], field_name="username")
    clerk, head = users[clerk_username], users[head_username]
    today = timezone.localdate()

    def data(description, base=PERSON):
        return {**base, "agency": education, "description": description}

    services.application_submit_online(data=data("2026年江州市普通高中招生计划及各校录取分数线"))
    a = services.application_register(
        data=data("江州市第一中学2025年度部门预算", COMPANY), channel=Channel.POST,
        received_on=today - timedelta(days=5), actor=clerk,
    ).application  # fmt: skip
    # Posted today: awaiting its return receipt, so the applicant's 15 days have not started.
    services.correction_request(application=a, items=["请写明所需预算信息的具体项目"], days=15, actor=clerk)
    b = services.application_register(
        data=data("滨江区新建学校配套工程的招标文件"), channel=Channel.IN_PERSON,
        received_on=today - timedelta(days=12), actor=clerk,
    ).application  # fmt: skip
    services.consultation_start(
        application=b, party=Consultation.Party.THIRD_PARTY, party_name="江州建工集团有限公司",
        on=today - timedelta(days=8), actor=clerk,
    )  # fmt: skip
    # Consulted seven weeks ago and never answered: the 15 working days ran out, the pause
    # ended by itself and the reply period runs again.
    d = services.application_register(
        data=data("江州市第三中学食堂承包合同"), channel=Channel.POST,
        received_on=today - timedelta(days=50), actor=clerk,
    ).application  # fmt: skip
    services.consultation_start(
        application=d, party=Consultation.Party.THIRD_PARTY, party_name="江州市膳食服务有限公司",
        on=today - timedelta(days=48), actor=clerk,
    )  # fmt: skip
    # Received four weeks ago: a correction notice now would come after the 7 working days of
    # Art. 30 and is refused (the case page says why).
    e = services.application_register(
        data=data("江州市教育局2025年督导检查报告"), channel=Channel.IN_PERSON,
        received_on=today - timedelta(days=28), actor=clerk,
    ).application  # fmt: skip
    try:
        services.correction_request(application=e, items=["请写明检查报告的名称"], days=15, actor=clerk)
    except services.ApplicationError:
        pass  # refused unless the deployment allows late notices (GONGKAI_ALLOW_LATE_CORRECTION)
    # One application holding twelve matters (一事一申请): the fee counts matters, not rows.
    f = services.application_register(
        data=data("江州市12所公办初中2026年招生计划（每校一份）", COMPANY), channel=Channel.POST,
        received_on=today - timedelta(days=3), actor=clerk,
    ).application  # fmt: skip
    f = services.application_matters_set(
        application=f, matters=12, reason="申请涉及12所学校各自的招生计划，按一事一申请每校计1件", actor=clerk
    )
    quote = fee_rules.quote_per_count_matters(
        first_nth=services.month_matters_before(f) + 1, matters=f.matters, reason=f.matters_reason
    )
    services.fee_notice_send(application=f, method="per_count", amount=quote.amount, actor=clerk)
    services.notice_receipt_record(application=f, notice="fee", on=today, method="collect",
                                   proof="申请人当面签收", actor=clerk)  # fmt: skip
    c = services.application_register(
        data=data("2025年江州市教育收费项目及标准"), channel=Channel.FAX,
        received_on=today - timedelta(days=20), actor=clerk,
    ).application  # fmt: skip
    letter = services.application_decide(
        application=c, outcome=Outcome.DISCLOSED, actor=head, provided_how="随本答复书以电子邮件发送"
    )
    services.letter_deliver(
        letter=letter, method="email", on=today - timedelta(days=2), proof="电子邮件已送达", actor=clerk
    )
    _week_of_issue_18(data, today, clerk, head)


def _week_of_issue_18(data, today, clerk, head) -> None:
    """Issue 18's new paperwork: a reply item by item (分项答复), decided and waiting to be
    delivered, and a reply posted (交寄) and signed for (签收) with its 送达回证, which closes the
    case and files it with its 档号 and 卷内目录."""
    g = services.application_register(
        data=data("江州市第二中学2025年校舍维修项目清单、资金拨付文件及竣工验收报告", COMPANY),
        channel=Channel.POST, received_on=today - timedelta(days=9), actor=clerk,
    ).application  # fmt: skip
    parts = ["校舍维修项目清单", "维修资金拨付文件", "竣工验收报告"]
    items = [services.item_add(application=g, description=text, actor=clerk) for text in parts]
    services.item_record(item=items[0], outcome=Outcome.DISCLOSED, provided_how="随本答复书邮寄", actor=clerk)
    services.item_record(item=items[1], outcome=Outcome.DISCLOSED, provided_how="随本答复书邮寄", actor=clerk)
    services.item_record(
        item=items[2], outcome=Outcome.UNAVAILABLE_NOT_HELD, actor=clerk,
        reasons="竣工验收由江州市滨江区住房和城乡建设局组织，本机关不掌握该报告",
        other_agency="江州市滨江区住房和城乡建设局",
    )  # fmt: skip
    services.application_decide(application=g, outcome="", actor=head)  # items differ: 部分公开
    h = services.application_register(
        data=data("2025年江州市义务教育阶段学校划片范围"), channel=Channel.POST,
        received_on=today - timedelta(days=15), actor=clerk,
    ).application  # fmt: skip
    letter = services.application_decide(
        application=h, outcome=Outcome.DISCLOSED, actor=head, provided_how="随本答复书邮寄"
    )
    dispatch = services.letter_post(
        letter=letter,
        method="post",
        on=today,
        carrier="中国邮政EMS",
        tracking_no="1195432870213",
        actor=clerk,
    )
    # The 送达回证 as printed stands in for the scan of the signed one.
    services.dispatch_signed_for(
        dispatch=dispatch, on=today, signer="王小明", scan=delivery_receipt_pdf(letter, dispatch),
        scan_filename="送达回证.pdf", actor=clerk,
    )  # fmt: skip
