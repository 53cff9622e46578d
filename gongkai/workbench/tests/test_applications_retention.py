"""The staff pages of an application anonymised after the retention period: the marker where
the applicant's data was, the facts still shown, the letters and the whole file still served."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.retention import applications_anonymise
from gongkai.applications.rules import Outcome
from gongkai.publishing.tests.factories import make_office

from .applications_world import ID_NUMBER, MOBILE, register, sample_pdf

pytestmark = pytest.mark.django_db
MARKER = "（已按保存期限匿名化）"


@pytest.fixture
def anonymised(db):
    office = make_office("江州市教育局")
    app = register(office)
    services.provided_file_add(
        application=app, data=sample_pdf(), filename="招生计划.pdf", redact=[], actor=office.clerk
    )
    reply = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office.clerk)
    services.letter_deliver(letter=reply, method="email", on=timezone.localdate(), actor=office.clerk)
    applications_anonymise(cutoff=date(2099, 1, 1))
    app.refresh_from_db()
    return office, app, reply


def test_the_page_shows_the_marker_instead_of_the_applicant(client, anonymised):
    office, app, _reply = anonymised
    client.force_login(office.clerk)
    page = client.get(reverse("workbench:application_detail", kwargs={"pk": app.pk})).content.decode()
    assert page.count(MARKER) >= 5 and 'id="anonymised"' in page
    assert "张三" not in page and ID_NUMBER not in page and MOBILE not in page
    assert "予以公开" in page and app.tracking_no in page  # the facts stay


def test_letters_and_the_whole_file_are_still_served(client, anonymised):
    office, app, reply = anonymised
    client.force_login(office.clerk)
    pdf = client.get(
        reverse("workbench:application_letter_pdf", kwargs={"pk": app.pk, "letter_pk": reply.pk})
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    export = client.get(reverse("workbench:application_export", kwargs={"pk": app.pk}))
    with zipfile.ZipFile(
        io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)
    ) as z:
        summary = next(json.loads(z.read(n)) for n in z.namelist() if n.endswith(".json"))
    assert summary["anonymised_at"] and "张三" not in json.dumps(summary, ensure_ascii=False)
