"""Issue 18 item 3 on the workbench: scans at registration, the oral record and the 送达回证 to
print, a letter posted then signed for, e-mail delivery; every URL walked as anonymous, as a
user without a role, as another agency's clerk and as the right user."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application, ApplicationFile, Consultation
from gongkai.applications.rules import ApplicationState, Channel
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.views.application_page import consultation_prefix

from .applications_world import ID_NUMBER, AppWorld, apps_fixture, sample_pdf  # noqa: F401
from .test_applications_access import AppUrl, _registration, _request

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def _scan(name="回证.pdf"):
    return SimpleUploadedFile(name, sample_pdf(), content_type="application/pdf")


def _oral(w: AppWorld) -> Application:
    found = Application.objects.filter(agency=w.a.agency, channel=Channel.ORAL).first()
    if found is None:
        data = {**_registration(w), "agency": w.a.agency, "description": "口头申请的信息"}
        found = services.application_register(
            data=data, channel=Channel.ORAL, received_on=timezone.localdate(), actor=w.a.clerk
        ).application
    return found


def _posted(w: AppWorld):
    return w.reply.dispatches.first() or services.letter_post(
        letter=w.reply, method="collect", on=timezone.localdate(), actor=w.a.clerk
    )


PAPERWORK_URLS = [
    AppUrl("application_oral_record_pdf", kwargs=lambda w: {"pk": _oral(w).pk}),
    AppUrl("application_oral_record", kwargs=lambda w: {"pk": _oral(w).pk}, method="post", ok=302,
           data=lambda w: {"scan": _scan("记录.pdf")}),
    AppUrl("application_delivery_receipt_pdf", kwargs=lambda w: {"pk": w.decided.pk, "letter_pk": w.reply.pk}),
    AppUrl("application_letter_post", kwargs=lambda w: {"pk": w.decided.pk, "letter_pk": w.reply.pk},
           method="post", ok=302, data=lambda w: {"method": "post", "on": TODAY, "carrier": "EMS",
                                                   "tracking_no": "EA1CN"}),
    AppUrl("application_letter_email", kwargs=lambda w: {"pk": w.decided.pk, "letter_pk": w.reply.pk},
           method="post", ok=302),
    AppUrl("application_dispatch_signed", kwargs=lambda w: {"pk": w.decided.pk, "dispatch_pk": _posted(w).pk},
           method="post", ok=302, data=lambda w: {"on": TODAY, "signer": "张三"}),
    AppUrl("application_dispatch_scan", kwargs=lambda w: {"pk": w.decided.pk, "dispatch_pk": _posted(w).pk},
           method="post", ok=302, data=lambda w: {"scan": _scan()}),
    AppUrl("application_consult_opinion", method="post", ok=302,
           kwargs=lambda w: {"pk": w.consulting.pk, "consultation_pk": w.consultation.pk},
           data=lambda w: {"scan": _scan("意见.pdf")}),
]  # fmt: skip


@pytest.mark.parametrize("u", PAPERWORK_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_paperwork_url_refuses_anonymous_and_out_of_scope_and_serves_the_right_user(client, apps, u):
    response = _request(client, u, apps)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/?next=")
    client.force_login(make_staff(apps.a.agency))  # signed in without any staff role
    assert _request(client, u, apps).status_code == 404
    client.force_login(u.outsider(apps))
    assert _request(client, u, apps).status_code == u.outsider_status
    client.force_login(u.user(apps))
    response = _request(client, u, apps)
    assert response.status_code == u.ok, response.content.decode()[:2000]


def test_register_by_post_with_scans_then_post_and_sign_for_the_reply(client, apps):
    client.force_login(apps.a.clerk)
    # A scan that is not what its name says: refused with the reason, what was typed kept.
    fake = SimpleUploadedFile("来信.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("workbench:application_register"), {**_registration(apps), "letter_scan": fake}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "江州市江滨路2号" in page and "2026年中小学学区划分方案" in page
    assert not Application.objects.filter(description="2026年中小学学区划分方案").exists()
    response = client.post(
        reverse("workbench:application_register"),
        {**_registration(apps), "letter_scan": _scan("来信.pdf"), "envelope": _scan("信封.pdf"),
         "identity_copy": _scan("身份证.pdf")},
    )  # fmt: skip
    assert response.status_code == 302
    app = Application.objects.get(description="2026年中小学学区划分方案")
    assert sorted(app.files.values_list("kind", flat=True)) == ["envelope", "identity_proof", "letter_scan"]

    # The decided application's reply: posted, then signed for with the 送达回证's scan.
    detail = reverse("workbench:application_detail", kwargs={"pk": apps.decided.pk})
    page = client.get(detail).content.decode()
    assert 'id="paperwork"' in page and "打印送达回证" in page
    pdf = client.get(reverse("workbench:application_delivery_receipt_pdf",
                             kwargs={"pk": apps.decided.pk, "letter_pk": apps.reply.pk}))  # fmt: skip
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    post = reverse(
        "workbench:application_letter_post", kwargs={"pk": apps.decided.pk, "letter_pk": apps.reply.pk}
    )
    assert client.post(post, {"method": "post", "on": TODAY, "carrier": "中国邮政EMS"}).status_code == 400
    response = client.post(
        post, {"method": "post", "on": TODAY, "carrier": "中国邮政EMS", "tracking_no": "EA9CN"}
    )
    assert response.status_code == 302
    dispatch = apps.reply.dispatches.get()
    page = client.get(detail).content.decode()
    assert "EA9CN" in page and "待签收" in page
    signed = reverse(
        "workbench:application_dispatch_signed", kwargs={"pk": apps.decided.pk, "dispatch_pk": dispatch.pk}
    )
    response = client.post(signed, {"on": TODAY, "signer": "张三", "scan": _scan()})
    assert response.status_code == 302
    apps.decided.refresh_from_db()
    dispatch.refresh_from_db()
    assert apps.decided.state == ApplicationState.CLOSED
    assert dispatch.receipt_scan.kind == ApplicationFile.Kind.DELIVERY_RECEIPT
    page = client.get(detail).content.decode()
    assert "签收人 张三" in page and "送达回证扫描件" in page


def test_e_mail_delivery_from_the_page(client, apps, django_capture_on_commit_callbacks):
    client.force_login(apps.a.clerk)
    mail.outbox.clear()
    url = reverse(
        "workbench:application_letter_email", kwargs={"pk": apps.decided.pk, "letter_pk": apps.reply.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments
    page = client.get(
        reverse("workbench:application_detail", kwargs={"pk": apps.decided.pk})
    ).content.decode()
    message_id = apps.reply.dispatches.get().email_message_id.strip("<>")
    assert "Message-ID" in page and message_id in page and "已发送电子邮件" in page


def test_a_supervisor_cannot_open_the_intake_scans(client, apps):
    from gongkai.agencies.models import Role
    from gongkai.catalogue.tests.factories import make_agency

    row = services.oral_record_attach(
        application=_oral(apps), data=_scan(), filename="记录.pdf", actor=apps.a.clerk
    )
    city = make_agency("江州市人民政府")
    apps.a.agency.parent = city
    apps.a.agency.save()
    client.force_login(make_staff(city, Role.SUPERVISOR))
    url = reverse("workbench:application_file", kwargs={"pk": row.application_id, "file_pk": row.pk})
    assert client.get(url).status_code == 403
    assert ID_NUMBER  # the world's applicant data stays with the agency


def test_the_consulted_partys_opinion_scan_comes_with_its_answer(client, apps):
    """The answer form takes the written opinion's scan; a file that is not what it claims is
    refused with the reason and the answer is not recorded either (nothing half done)."""
    client.force_login(apps.a.clerk)
    url = reverse(
        "workbench:application_consult_end",
        kwargs={"pk": apps.consulting.pk, "consultation_pk": apps.consultation.pk},
    )
    prefix = consultation_prefix(apps.consultation.pk)
    fields = {
        f"{prefix}-answer": Consultation.Answer.REFUSE,
        f"{prefix}-on": TODAY,
        f"{prefix}-reasons": "商业秘密",
    }
    fake = SimpleUploadedFile("意见.pdf", b"not a pdf at all", content_type="application/pdf")
    refused = client.post(url, {**fields, f"{prefix}-opinion": fake})
    assert refused.status_code == 200 and "商业秘密" in refused.content.decode()
    apps.consultation.refresh_from_db()
    assert apps.consultation.answered_on is None
    assert not ApplicationFile.objects.filter(kind=ApplicationFile.Kind.OPINION).exists()

    assert client.post(url, {**fields, f"{prefix}-opinion": _scan("意见.pdf")}).status_code == 302
    apps.consultation.refresh_from_db()
    assert apps.consultation.answer == Consultation.Answer.REFUSE
    opinion = ApplicationFile.objects.get(kind=ApplicationFile.Kind.OPINION)
    assert opinion.application_id == apps.consulting.pk and opinion.title == "意见.pdf"
