"""Manual redaction on the record page (issue 17): search-and-redact by value, areas drawn on
page previews (served as sandboxed pictures), the withheld parts with their grounds, the
public preview and taking a wrong redaction back."""

import pymupdf
import pytest
from django.test import override_settings
from django.urls import reverse

from gongkai.catalogue.attachments import attachment_add
from gongkai.catalogue.tests.samples import make_pdf
from gongkai.core.files.redaction import PDF_CONTENT_TYPE
from gongkai.publishing.models import FindingDecision, ImagePage, ManualRedaction
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import finding_settle, submission_decide, submission_submit
from gongkai.publishing.tests.factories import draft
from gongkai.publishing.verify import find_values

pytestmark = pytest.mark.django_db

NAME = "欧阳青禾"


def _text_pdf(*lines: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(lines):
        page.insert_text((40, 80 + 30 * i), line, fontname="china-s", fontsize=12)
    return doc.tobytes()


def _at_office(a, data: bytes, body: str = f"本项目由{NAME}牵头。"):
    sub = draft(a, title="关于项目负责人的说明", body=body)
    attachment_add(document=sub.document, data=data, filename="名单.pdf", title="名单", actor=a.clerk)
    sub = submission_submit(submission=sub, actor=a.clerk)
    return submission_decide(submission=sub, actor=a.unit_head, decision=Decision.APPROVE)


def test_the_office_head_redacts_a_missed_name_from_the_page_and_sees_its_ground(client, world):
    a = world.a
    sub = _at_office(a, _text_pdf("Checklist", f"负责人{NAME}"))
    client.force_login(a.office_head)
    detail = reverse("workbench:record_detail", kwargs={"pk": sub.pk})
    page = client.get(detail).content.decode()
    assert "按内容遮盖" in page and "redact-draw.js" in page and "<script>" not in page
    url = reverse("workbench:manual_value", kwargs={"pk": sub.pk})

    # A value found nowhere: the page comes back with the value typed and the reason.
    response = client.post(url, {"manual_value-value": "查无此人", "manual_value-ground": "personal_data"})
    assert response.status_code == 200
    assert "没有找到该内容" in response.content.decode() and 'value="查无此人"' in response.content.decode()

    response = client.post(url, {"manual_value-value": NAME, "manual_value-ground": "third_party"})
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "保护第三方合法权益（商业秘密、个人隐私）" in page  # the ground, in the withheld list
    assert "欧**禾" in page and NAME not in page.split('id="redactions"')[1].split("</section>")[0]

    # The preview is the public file as it would be: the name is gone, the file is sandboxed.
    attachment = sub.document.attachments.get()
    response = client.get(
        reverse("workbench:attachment_preview", kwargs={"pk": sub.pk, "attachment_pk": attachment.pk})
    )
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    assert find_values(b"".join(response.streaming_content), PDF_CONTENT_TYPE, [NAME]) == []

    # Taken back with a reason: kept on record, marked removed.
    redaction = ManualRedaction.objects.get(submission=sub)
    remove = reverse("workbench:manual_remove", kwargs={"pk": sub.pk, "redaction_pk": redaction.pk})
    assert client.post(remove, {f"remove-{redaction.pk}-reason": ""}).status_code == 200
    assert client.post(remove, {f"remove-{redaction.pk}-reason": "负责人姓名应当公开"}).status_code == 302
    redaction.refresh_from_db()
    assert redaction.removed_at is not None and "负责人姓名应当公开" in client.get(detail).content.decode()


def test_a_reviewer_of_another_step_cannot_redact(client, world):
    sub = _at_office(world.a, make_pdf("Checklist", f"负责人{NAME}"))
    client.force_login(world.a.unit_head)
    url = reverse("workbench:manual_value", kwargs={"pk": sub.pk})
    assert (
        client.post(url, {"manual_value-value": NAME, "manual_value-ground": "personal_data"}).status_code
        == 403
    )
    assert not ManualRedaction.objects.exists()


def test_page_pictures_are_served_sandboxed_and_an_area_typed_by_keyboard_is_accepted(client, world):
    a = world.a
    sub = _at_office(a, make_pdf("Checklist", "Second line"), body="正文。")
    attachment = sub.document.attachments.get()
    client.force_login(a.office_head)
    image = reverse("workbench:page_image", kwargs={"pk": sub.pk, "attachment_pk": attachment.pk, "page": 1})
    response = client.get(image)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert (
        "sandbox" in response["Content-Security-Policy"] and response["Cache-Control"] == "private, no-store"
    )
    assert client.get(image.replace("/1.png", "/9.png")).status_code == 404

    url = reverse("workbench:manual_area", kwargs={"pk": sub.pk, "attachment_pk": attachment.pk})
    prefix = f"area-{attachment.pk}"
    fields = {"page": 1, "x0": 0, "y0": 0, "x1": 595, "y1": 120, "ground": "personal_data"}
    response = client.post(url, {f"{prefix}-{k}": v for k, v in {**fields, "page": 5}.items()})
    assert response.status_code == 200 and "页码应在 1 到 1 之间" in response.content.decode()
    response = client.post(url, {f"{prefix}-{k}": v for k, v in fields.items()})
    assert response.status_code == 302
    area = ManualRedaction.objects.get(submission=sub, kind=ManualRedaction.AREA)
    assert area.page == 1 and area.box == [0.0, 0.0, 595.0, 120.0]


@override_settings(GONGKAI_TESSERACT="/nonexistent/bin/tesseract")
def test_a_held_image_page_is_shown_and_confirmed_from_the_page(client, world):
    a = world.a
    doc = pymupdf.open()
    doc.new_page(width=300, height=200).draw_rect(pymupdf.Rect(20, 20, 200, 100), fill=(0.5, 0.5, 0.5))
    sub = _at_office(a, doc.tobytes(), body="正文。")
    held = sub.image_pages.get()
    assert held.method == ImagePage.HELD
    client.force_login(a.office_head)
    detail = reverse("workbench:record_detail", kwargs={"pk": sub.pk})
    assert "图像页待确认" in client.get(detail).content.decode()
    decide = reverse("workbench:record_decide", kwargs={"pk": sub.pk})
    sub.refresh_from_db()
    for finding in sub.findings.all():
        finding_settle(finding=finding, actor=a.office_head, decision=FindingDecision.REDACT)
    sub.refresh_from_db()
    response = client.post(
        decide, {"decide-decision": "approve", "decide-opinion": "同意", "decide-version": sub.version}
    )
    assert response.status_code == 200 and "图像页待确认" in response.content.decode()
    url = reverse("workbench:image_page_confirm", kwargs={"pk": sub.pk, "image_pk": held.pk})
    assert client.post(url).status_code == 302
    held.refresh_from_db()
    assert held.confirmed_by == a.office_head
