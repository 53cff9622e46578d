"""Every input gets a clear answer, never a 500 (issue 10, sections 3, 4 and 7): identity
numbers with look-alike digits, future birth dates and region 000000 in the web form, the API and
staff registration; the identity proof's accepted types; a full disk while an application is
stored."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import Application, ApplicationFile
from gongkai.core.checksums import id_number_check_char, is_valid_id_number
from gongkai.workbench.tests.applications_world import make_office

from .test_apply import agency, form_data, png_bytes, submit, upload  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def with_check(body17: str) -> str:
    return body17 + id_number_check_char(body17)


def future_id() -> str:
    born = timezone.localdate() + timedelta(days=30)
    return with_check(f"110105{born:%Y%m%d}002")


# ² ³ ¹ and ① pass str.isdigit(), then int() refused them: a 500 before this change.
LOOKALIKES = ["11010519491231002²", "1101051949123100³X", "¹10105194912310021", "①1010519491231002X"]
REFUSED = [*LOOKALIKES, with_check("00000019491231002")]


@pytest.mark.parametrize("number", [*LOOKALIKES, "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"])  # Arabic-Indic digits too
def test_look_alike_digits_are_not_an_identity_number(number):
    assert number[:17].isdigit() or number[0].isdigit()
    assert is_valid_id_number(number) is False


def test_future_birth_dates_and_region_000000_are_refused():
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number(future_id())
    assert not is_valid_id_number(with_check("00000019491231002"))
    today = timezone.localdate()
    assert is_valid_id_number(with_check(f"110105{today:%Y%m%d}002"))  # born today is fine


@pytest.mark.parametrize("number", [*REFUSED, "FUTURE"])
def test_the_web_form_says_what_is_wrong_and_keeps_the_text(client, agency, number):  # noqa: F811
    number = future_id() if number == "FUTURE" else number
    response = submit(client, agency, id_number=number, description="申请公开2025年预算明细")
    assert response.status_code == 200
    page = response.content.decode()
    assert "居民身份证号码有误" in page
    assert 'value="张三"' in page and "申请公开2025年预算明细" in page
    assert not Application.objects.exists()


@pytest.mark.parametrize("number", REFUSED)
def test_the_api_answers_400_on_the_field(client, agency, number):  # noqa: F811
    body = {k: v for k, v in form_data(agency, id_number=number).items() if k not in ("token", "website")}
    response = client.post("/api/v1/applications", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "居民身份证号码有误" in response.json()["errors"]["id_number"][0]


@pytest.mark.parametrize("number", LOOKALIKES[:2])
def test_staff_registration_answers_on_the_field(client, number):
    office = make_office("江州市教育局")
    client.force_login(office.clerk)
    response = client.post(
        reverse("workbench:application_register"),
        {"agency": office.agency.code, "channel": "post", "received_on": timezone.localdate().isoformat(),
         "applicant_type": "natural_person", "name": "王五", "id_type": "resident_id", "id_number": number,
         "phone": "13812345678", "description": "某某名单", "form": "paper", "delivery": "collect"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "身份证号码有误" in response.content.decode() and not Application.objects.exists()


def test_the_identity_proof_help_names_the_types_that_are_accepted(client, agency):  # noqa: F811
    page = client.get("/apply/").content.decode()
    assert "PDF、JPG、PNG、GIF 格式" in page
    # a Word file is a type the form does not take, however well-formed
    response = submit(
        client,
        agency,
        identity_proof=upload("身份证.docx", b"PK\x03\x04" + b"\0" * 100, "application/msword"),
    )
    page = response.content.decode()
    assert "身份证明只接受 PDF、JPG、PNG、GIF 格式" in page and 'value="张三"' in page
    assert not Application.objects.exists()


def test_a_full_disk_keeps_the_typed_text_and_saves_nothing(client, agency, full_disk):  # noqa: F811
    proof = png_bytes() + b"\0" * 30_000  # more than the 8 KB left
    response = submit(
        client,
        agency,
        description="申请公开江州市2025年防汛预案",
        identity_proof=upload("scan.png", proof, "image/png"),
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "存储空间暂时不足" in page and "稍后" in page
    assert 'value="张三"' in page and "申请公开江州市2025年防汛预案" in page
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []  # no partial file
    # once there is room again, the same form goes through
    (full_disk.parent / "filler").unlink()
    assert submit(client, agency, identity_proof=upload("scan.png", proof, "image/png")).status_code == 302
