"""The demo has an application in each state issue 9 added (docs/applications.md)."""

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.demo import applications_demo_load
from gongkai.applications.models import Application, ApplicationFile, CaseFiling
from gongkai.applications.rules import ApplicationState, LetterStatus, Outcome
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


def test_the_demo_shows_an_itemised_reply_and_a_case_posted_signed_for_and_filed():
    """Issue 18: 分项答复, a letter posted (交寄) and signed for (签收) with its 送达回证, filing."""
    agency = make_agency("江州市教育局")
    clerk, head = make_staff(agency, Role.CLERK), make_staff(agency, Role.OFFICE_HEAD)
    applications_demo_load(education=agency, clerk_username=clerk.username, head_username=head.username)
    cases = Application.objects.filter(agency=agency)

    itemised = cases.get(description__startswith="江州市第二中学2025年校舍维修")
    assert [i.outcome for i in itemised.items.order_by("position")] == [
        Outcome.DISCLOSED, Outcome.DISCLOSED, Outcome.UNAVAILABLE_NOT_HELD,
    ]  # fmt: skip
    # Items that differ count once, as partly disclosed; one signed letter answers all three.
    assert (itemised.state, itemised.outcome) == (ApplicationState.DECIDED, Outcome.PARTIALLY_DISCLOSED)
    reply = itemised.letters.get(kind="reply")
    assert reply.status == LetterStatus.SIGNED and not reply.deliveries.exists()

    posted = cases.get(description="2025年江州市义务教育阶段学校划片范围")
    dispatch = posted.dispatches.get()
    assert (dispatch.method, dispatch.carrier, dispatch.signer) == ("post", "中国邮政EMS", "王小明")
    assert dispatch.signed_on == dispatch.posted_on == timezone.localdate()
    assert dispatch.receipt_scan.kind == ApplicationFile.Kind.DELIVERY_RECEIPT
    assert dispatch.receipt_scan.content_type == "application/pdf"
    assert posted.state == ApplicationState.CLOSED
    filing = CaseFiling.objects.get(application=posted)
    assert filing.archive_no.endswith(f"·{timezone.localdate().year}·D10·{filing.seq:04d}")
    # 卷内目录: the request, the reply, its proof of delivery, the 送达回证 scan, in that order.
    assert [(row["序号"], row["题名"]) for row in filing.contents] == [
        (1, "政府信息公开申请（信函申请）"),
        (2, "政府信息公开申请答复书"),
        (3, "送达凭证：政府信息公开申请答复书（邮寄）"),
        (4, "送达回证（扫描件）：送达回证.pdf"),
    ]
