"""Every application URL of the workbench, walked as anonymous, as a user without a staff role,
as a user out of scope and as the right user; what supervisors of a parent agency may read, and
where personal data is shown in full.

APPLICATION_URLS lists every ``application_*`` pattern of gongkai/workbench/urls.py (POST
endpoints included); test_access.test_every_workbench_url_is_walked checks it with STAFF_URLS."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications.rules import ApplicationState
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.views.application_page import QUERY_CODE_SESSION_KEY

from .applications_world import ID_NUMBER, MOBILE, AppWorld, apps_fixture, sample_pdf  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


@dataclass
class AppUrl:
    name: str
    kwargs: Callable[[AppWorld], dict] = lambda w: {"pk": w.received.pk}
    method: str = "get"
    data: Callable[[AppWorld], dict] = lambda w: {}
    user: Callable[[AppWorld], object] = lambda w: w.a.clerk  # the right user
    ok: int = 200
    outsider: Callable[[AppWorld], object] = lambda w: w.outsider
    outsider_status: int = 404
    hidden: Callable[[AppWorld], list[str]] = field(default=lambda w: [])  # never shown to the outsider
    # What the session holds before each request (whoever is signed in), e.g. a query code.
    session: Callable[[AppWorld], dict] = field(default=lambda w: {})


def _registration(w: AppWorld) -> dict:
    return {
        "agency": w.a.agency.code, "channel": "post", "received_on": TODAY, "applicant_type": "natural_person",
        "name": "李四", "id_type": "resident_id", "id_number": ID_NUMBER, "phone": MOBILE, "address": "江州市江滨路2号",
        "description": "2026年中小学学区划分方案", "form": "paper", "delivery": "post",
    }  # fmt: skip


def _ask_reasons(w: AppWorld) -> dict:
    """The later date follows a request for reasons: make one (once) before walking it."""
    from gongkai.applications import services

    if not w.received.clock_events.filter(kind="excessive_reasons_requested").exists():
        services.excessive_reasons_request(application=w.received, actor=w.a.clerk)
        w.received.refresh_from_db()
    return {}


def _draft(w: AppWorld):
    """A clerk's extension proposal on the received application: a draft for the office head."""
    from gongkai.applications import services

    draft = w.received.letters.filter(status="draft").first()
    if draft is None:
        draft = services.extension_propose(
            application=w.received, days=10, reason="需调取档案", actor=w.a.clerk
        )
        w.received.refresh_from_db()
    return draft


def _voided(w: AppWorld):
    """The decided application's reply, voided by the office head (to be reissued)."""
    from gongkai.applications import services

    w.reply.refresh_from_db()
    if w.reply.status != "void":
        services.letter_void(letter=w.reply, reason="提供方式写错", actor=w.a.office_head)
        w.reply.refresh_from_db()
    return w.reply


def _closed_unfiled(w: AppWorld):
    """A case closed before filing existed (issue 18 item 6): closed, its filing record gone."""
    from gongkai.applications import services
    from gongkai.applications.models import CaseFiling

    from .applications_world import register

    closed = getattr(w, "closed_unfiled", None)
    if closed is None:
        closed = register(w.a, description="2019年度部门决算")
        reply = services.application_decide(application=closed, outcome="disclosed", actor=w.a.clerk)
        services.letter_deliver(letter=reply, method="post", on=timezone.localdate(), actor=w.a.clerk)
        w.closed_unfiled = closed
    CaseFiling.objects.filter(application=closed).delete()
    return closed


def _item(w: AppWorld):
    """An item of the received application (分项答复), made once."""
    from gongkai.applications import services

    item = w.received.items.first()
    if item is None:
        item = services.item_add(application=w.received, description="2025年招生计划", actor=w.a.clerk)
    return item


APPLICATION_URLS = [
    # The applicant look-up fills the registration form from this agency's earlier applications.
    AppUrl("application_applicant_lookup", kwargs=lambda w: {}, method="post", outsider_status=200,
           data=lambda w: {"agency": w.a.agency.code, "id_number": ID_NUMBER},
           hidden=lambda w: [MOBILE, "江州市滨江区江滨路1号"]),
    AppUrl("application_file_case", kwargs=lambda w: {"pk": _closed_unfiled(w).pk}, method="post", ok=302),
    AppUrl("application_list", kwargs=lambda w: {}, outsider_status=200,
           hidden=lambda w: [w.received.tracking_no, w.submitted.tracking_no]),
    # Registering needs the clerk or office-head role somewhere: a reviewer only is "not found".
    AppUrl("application_register", kwargs=lambda w: {}, outsider=lambda w: w.a.unit_head),
    AppUrl("application_register", kwargs=lambda w: {}, method="post", ok=302, data=_registration,
           outsider=lambda w: w.a.unit_head),
    AppUrl("application_detail", hidden=lambda w: [w.received.tracking_no]),
    AppUrl("application_export"),
    # Revealing the applicant's personal data: the staff handling the case, with a reason.
    AppUrl("application_reveal", method="post", ok=302, data=lambda w: {"reveal-reason": "邮寄答复书"}),
    # The receipt needs the query code this session registered; even with it, only in scope.
    AppUrl("application_receipt", session=lambda w: {
        QUERY_CODE_SESSION_KEY: {"pk": w.received.pk, "code": "ABCD2345", "shown": True}}),
    AppUrl("application_letter_pdf", kwargs=lambda w: {"pk": w.decided.pk, "letter_pk": w.reply.pk}),
    AppUrl("application_letter_docx", kwargs=lambda w: {"pk": w.decided.pk, "letter_pk": w.reply.pk}),
    AppUrl("application_file", kwargs=lambda w: {"pk": w.received.pk, "file_pk": w.provided.pk}),
    AppUrl("application_confirm", kwargs=lambda w: {"pk": w.submitted.pk}, method="post", ok=302,
           data=lambda w: {"confirm-on": TODAY, "confirm-version": w.submitted.version}),
    AppUrl("application_correction", method="post", ok=302,
           data=lambda w: {"correction-items": "请写明文号\n请写明年份", "correction-days": 10, "correction-on": TODAY}),
    AppUrl("application_correction_receive", kwargs=lambda w: {"pk": w.awaiting.pk}, method="post", ok=302,
           data=lambda w: {"correction_receive-on": TODAY}),
    AppUrl("application_consult", method="post", ok=302, data=lambda w: {
        "consult-party": "agency", "consult-party_name": "江州市自然资源局", "consult-on": TODAY}),
    AppUrl("application_consult_end", method="post", ok=302,
           kwargs=lambda w: {"pk": w.consulting.pk, "consultation_pk": w.consultation.pk},
           data=lambda w: {f"consultation-{w.consultation.pk}-{k}": v
                           for k, v in {"on": TODAY, "answer": "refuse", "reasons": "涉及商业秘密"}.items()}),
    AppUrl("application_consult_delivered", method="post", ok=302,
           kwargs=lambda w: {"pk": w.consulting.pk, "consultation_pk": w.consultation.pk},
           data=lambda w: {f"consultation-{w.consultation.pk}-delivered-on": TODAY}),
    AppUrl("application_extend", method="post", ok=302, user=lambda w: w.a.office_head,
           data=lambda w: {"extension-days": 10, "extension-reason": "需调取档案", "extension-on": TODAY}),
    AppUrl("application_excessive", method="post", ok=302, data=lambda w: {"excessive-on": TODAY}),
    AppUrl("application_later_date", method="post", ok=302, user=lambda w: w.a.office_head,
           session=lambda w: _ask_reasons(w),
           data=lambda w: {"later-until": "2099-12-31", "later-reason": "涉及十年档案", "later-on": TODAY}),
    AppUrl("application_fee_notice", method="post", ok=302, data=lambda w: {
        "fee-method": "per_volume", "fee-amount": "10.00", "fee-pages": 31, "fee-on": TODAY}),
    AppUrl("application_matters", method="post", ok=302, data=lambda w: {
        "matters-matters": 2, "matters-reason": "两个不同年度的事项", "matters-co_applicants": ""}),
    AppUrl("application_fee_pay", method="post", ok=302,
           kwargs=lambda w: {"pk": w.with_fee.pk, "fee_pk": w.fee.pk},
           data=lambda w: {f"fee-{w.fee.pk}-pay-on": TODAY, f"fee-{w.fee.pk}-pay-amount": "10.00",
                           f"fee-{w.fee.pk}-pay-receipt_no": "非税收入票据0001"}),
    AppUrl("application_fee_waive", method="post", ok=302, user=lambda w: w.a.office_head,
           kwargs=lambda w: {"pk": w.with_fee.pk, "fee_pk": w.fee.pk},
           data=lambda w: {f"fee-{w.fee.pk}-waive-reduced_to": "0", f"fee-{w.fee.pk}-waive-reason": "低保户"}),
    AppUrl("application_decide", method="post", ok=302,
           data=lambda w: {"decide-outcome": "disclosed", "decide-version": w.received.version,
                           "decide-provided_how": "电子邮件发送"}),
    AppUrl("application_transfer", method="post", ok=302,
           data=lambda w: {"transfer-other_agency": "江州市住房和城乡建设局，电话0571-12345678",
                           "transfer-reasons": "该信息由市住建局制作和保存。", "transfer-version": w.received.version}),
    AppUrl("application_provided_file", method="post", ok=302, data=lambda w: {
        "provided-file": SimpleUploadedFile("名单.pdf", sample_pdf(), content_type="application/pdf"),
        "provided-redact": MOBILE}),
    AppUrl("application_deliver", method="post", ok=302,
           kwargs=lambda w: {"pk": w.decided.pk, "letter_pk": w.reply.pk},
           data=lambda w: {f"letter-{w.reply.pk}-method": "email", f"letter-{w.reply.pk}-on": TODAY,
                           f"letter-{w.reply.pk}-proof": "邮件发送回执"}),
    AppUrl("application_merge", method="post", ok=302, data=lambda w: {"merge-into": w.decided.tracking_no}),
    AppUrl("application_case", kwargs=lambda w: {"pk": w.decided.pk}, method="post", ok=302,
           data=lambda w: {"case-kind": "reconsideration", "case-filed_on": TODAY}),
    AppUrl("application_case_result", method="post", ok=302,
           kwargs=lambda w: {"pk": w.decided.pk, "case_pk": w.case.pk},
           data=lambda w: {f"remedy-{w.case.pk}-decided_on": TODAY, f"remedy-{w.case.pk}-result": "upheld"}),
    AppUrl("application_assign", method="post", ok=302, data=lambda w: {"assign-assignee": w.a.office_head.pk}),
    AppUrl("application_link", method="post", ok=302, data=lambda w: {"link-other": w.decided.tracking_no}),
    AppUrl("application_abandon", kwargs=lambda w: {"pk": w.lapsed.pk}, method="post", ok=302),
    # Issue 18: the agenda (every deadline in scope) and bulk assignment from the list; another
    # agency's staff see only their own deadlines and can pick none of these applications.
    AppUrl("agenda", kwargs=lambda w: {}, outsider_status=200,
           hidden=lambda w: [w.received.tracking_no, w.decided.tracking_no]),
    AppUrl("application_bulk_assign", kwargs=lambda w: {}, method="post", ok=302, outsider_status=302,
           data=lambda w: {"ids": [w.received.pk, w.awaiting.pk], "bulk-assignee": w.a.office_head.pk}),
    # Letters as drafts (issue 18 item 2, views/signoff.py).
    AppUrl("application_signoff_queue", kwargs=lambda w: {}, outsider_status=200, user=lambda w: w.a.office_head,
           session=lambda w: _draft(w) and {}, hidden=lambda w: [w.received.tracking_no]),
    AppUrl("application_extension_propose", method="post", ok=302,
           data=lambda w: {"propose-days": 10, "propose-reason": "需调取档案"}),
    AppUrl("application_letter_sign", method="post", ok=302, user=lambda w: w.a.office_head,
           kwargs=lambda w: {"pk": w.received.pk, "letter_pk": _draft(w).pk}, data=lambda w: {"note": "同意"}),
    AppUrl("application_letter_edit", method="post", ok=302,
           kwargs=lambda w: {"pk": w.received.pk, "letter_pk": _draft(w).pk}, data=lambda w: {"reasons": "需调取十年档案"}),
    AppUrl("application_letter_void", method="post", ok=302,
           kwargs=lambda w: {"pk": w.received.pk, "letter_pk": _draft(w).pk}, data=lambda w: {"reason": "重拟"}),
    AppUrl("application_letter_reissue", method="post", ok=302,
           kwargs=lambda w: {"pk": w.decided.pk, "letter_pk": _voided(w).pk}),
    # 分项答复 (issue 18 item 5, views/application_items.py).
    AppUrl("application_item_add", method="post", ok=302, data=lambda w: {"item-description": "会议纪要"}),
    AppUrl("application_item_record", method="post", ok=302,
           data=lambda w: {"item_record-item": _item(w).pk, "item_record-outcome": "disclosed"}),
    AppUrl("application_item_remove", method="post", ok=302,
           kwargs=lambda w: {"pk": w.received.pk, "item_pk": _item(w).pk}),
]  # fmt: skip


def _request(client, u: AppUrl, w: AppWorld):
    url = reverse(f"workbench:{u.name}", kwargs=u.kwargs(w))
    if held := u.session(w):
        session = client.session
        session.update(held)
        session.save()
    return getattr(client, u.method)(url, u.data(w))


@pytest.mark.parametrize("u", APPLICATION_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_application_url_refuses_anonymous_and_out_of_scope_and_serves_the_right_user(client, apps, u):
    response = _request(client, u, apps)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")

    client.force_login(make_staff(apps.a.agency))  # signed in without any staff role
    assert _request(client, u, apps).status_code == 404

    client.force_login(u.outsider(apps))
    response = _request(client, u, apps)
    assert response.status_code == u.outsider_status
    for text in u.hidden(apps):
        assert text not in response.content.decode()

    client.force_login(u.user(apps))
    response = _request(client, u, apps)
    assert response.status_code == u.ok, response.content.decode()[:3000]
    if u.ok == 302:
        location = response["Location"]
        assert location.startswith("/staff/applications/") and "login" not in location


def test_actions_refuse_get(client, apps):
    client.force_login(apps.a.clerk)
    url = reverse("workbench:application_decide", kwargs={"pk": apps.received.pk})
    assert client.get(url).status_code == 405


def test_csrf_is_enforced(apps):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(apps.a.clerk)
    url = reverse("workbench:application_decide", kwargs={"pk": apps.received.pk})
    data = {"decide-outcome": "disclosed", "decide-version": apps.received.version}
    assert client.post(url, data).status_code == 403
    apps.received.refresh_from_db()
    assert apps.received.state == ApplicationState.RECEIVED


def test_a_reviewer_of_the_agency_reads_but_may_not_act(client, apps):
    client.force_login(apps.a.unit_head)
    url = reverse("workbench:application_detail", kwargs={"pk": apps.received.pk})
    page = client.get(url).content.decode()
    assert ID_NUMBER not in page  # masked: a reviewer does not handle the case (issue 10, §6)
    assert reverse("workbench:application_decide", kwargs={"pk": apps.received.pk}) not in page
    response = client.post(
        reverse("workbench:application_decide", kwargs={"pk": apps.received.pk}),
        {"decide-outcome": "disclosed", "decide-version": apps.received.version},
    )
    assert response.status_code == 403 and "权限" in response.content.decode()
    apps.received.refresh_from_db()
    assert apps.received.state == ApplicationState.RECEIVED


def test_supervisor_reads_the_agencies_below_masked_and_acts_on_none(client, apps):
    city = make_agency("江州市人民政府")
    apps.a.agency.parent = city
    apps.a.agency.save()
    supervisor = make_staff(city, Role.SUPERVISOR)
    client.force_login(supervisor)

    listing = client.get(reverse("workbench:application_list")).content.decode()
    assert apps.received.tracking_no in listing
    assert ID_NUMBER not in listing and MOBILE not in listing

    detail_url = reverse("workbench:application_detail", kwargs={"pk": apps.received.pk})
    page = client.get(detail_url).content.decode()
    assert apps.received.description in page
    assert ID_NUMBER not in page and MOBILE not in page and "zhangsan@example.com" not in page
    assert "110105********002X" in page and "138****5678" in page
    assert 'action="/staff/applications/' not in page  # no action form at all
    decide = reverse("workbench:application_decide", kwargs={"pk": apps.received.pk})
    assert client.post(decide, {"decide-outcome": "disclosed", "decide-version": 1}).status_code == 403
    # The whole file and the applicant's own papers stay with the agency.
    export = reverse("workbench:application_export", kwargs={"pk": apps.received.pk})
    assert client.get(export).status_code == 403
    # The redacted copy the applicant was given may be read; nothing of other trees exists.
    provided = reverse(
        "workbench:application_file", kwargs={"pk": apps.received.pk, "file_pk": apps.provided.pk}
    )
    assert client.get(provided).status_code == 200
    elsewhere = make_agency("邻市人民政府")
    from .applications_world import register

    other = register(type(apps.a)(elsewhere, make_staff(elsewhere, Role.CLERK), None, None, None))
    assert client.get(reverse("workbench:application_detail", kwargs={"pk": other.pk})).status_code == 404


def test_served_files_never_run_in_the_browser(client, apps):
    client.force_login(apps.a.clerk)
    url = reverse("workbench:application_file", kwargs={"pk": apps.received.pk, "file_pk": apps.provided.pk})
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]


def test_a_file_of_another_application_is_not_found(client, apps):
    client.force_login(apps.a.clerk)
    url = reverse("workbench:application_file", kwargs={"pk": apps.decided.pk, "file_pk": apps.provided.pk})
    assert client.get(url).status_code == 404
    url = reverse(
        "workbench:application_letter_pdf", kwargs={"pk": apps.received.pk, "letter_pk": apps.reply.pk}
    )
    assert client.get(url).status_code == 404
