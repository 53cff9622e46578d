"""Issue 17 items 3 and 6 on the workbench: a clerk gives each value redacted from a provided
file its ground, the partial disclosure's reply lists them without typing them again, and a
reply naming someone else is refused (kind and paragraph, never the value) until the clerk
gives a reason to keep it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.models import ApplicationFile
from gongkai.applications.rules import Outcome
from gongkai.publishing.tests.factories import make_office

from .applications_world import register, sample_pdf
from .conftest import form_value

pytestmark = pytest.mark.django_db
OTHER_MOBILE = "13987654321"


@pytest.fixture
def office(db):
    return make_office("江州市教育局")


def _url(name, application):
    return reverse(f"workbench:{name}", kwargs={"pk": application.pk})


def test_grounds_given_on_upload_fill_the_reply_and_a_third_partys_data_needs_a_reason(client, office):
    application = register(office)
    client.force_login(office.clerk)
    upload = SimpleUploadedFile(
        "名单.pdf", sample_pdf(f"Li Si {OTHER_MOBILE}, price 1200"), "application/pdf"
    )
    response = client.post(
        _url("application_provided_file", application),
        {"provided-file": upload, "provided-redact": f"{OTHER_MOBILE}\n1200｜保护第三方合法权益",
         "provided-ground": "personal_data"},
    )  # fmt: skip
    assert response.status_code == 302
    provided = application.files.get(kind=ApplicationFile.Kind.PROVIDED)
    assert provided.redaction_grounds == ["personal_data", "withheld_third_party"]

    page = client.get(_url("application_detail", application))
    decide = {
        "decide-outcome": Outcome.PARTIALLY_DISCLOSED, "decide-provided_how": "电子邮件发送",
        "decide-reasons": f"名单含第三方李四的手机号码{OTHER_MOBILE}等个人信息",
        "decide-version": form_value(page, "decide-version"),
    }  # fmt: skip
    refused = client.post(_url("application_decide", application), decide)
    text = refused.content.decode()
    assert refused.status_code == 200 and "手机号码" in text and "第" in text and "段" in text
    assert "保留理由" in text
    assert text.count(OTHER_MOBILE) == 1  # only in the typed reasons kept in the form, not in the message
    application.refresh_from_db()
    assert not application.letters.filter(kind="reply").exists()

    decide["decide-reasons"] = "名单含第三方的个人信息和商业秘密"
    assert client.post(_url("application_decide", application), decide).status_code == 302
    reply = application.letters.get(kind="reply")
    listed = "\n".join(reply.paragraphs)
    assert "“名单.pdf”中遮盖的1处内容：属于他人的个人信息" in listed
    assert "“名单.pdf”中遮盖的1处内容：涉及商业秘密" in listed
    assert OTHER_MOBILE not in listed and "1200" not in listed


def test_an_unknown_ground_is_refused_beside_the_field(client, office):
    application = register(office)
    client.force_login(office.clerk)
    upload = SimpleUploadedFile("名单.pdf", sample_pdf(), "application/pdf")
    response = client.post(
        _url("application_provided_file", application),
        {"provided-file": upload, "provided-redact": "Zhang San｜不喜欢"},
    )
    assert response.status_code == 200 and "不是遮盖依据" in response.content.decode()
    assert not application.files.exists()
