"""Issue 18 item 7 (a): at registration the clerk types the applicant's identity number or
credit code and the contact details of that applicant's earlier applications to the same agency
fill the form: only the clerk's own agency, never an anonymised application, nothing the clerk
typed overwritten, and every look-up audited as a read of personal data."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.applications.personal_data import REVEAL_ACTION
from gongkai.core.models import AuditEvent

from .applications_world import ID_NUMBER, MOBILE, AppWorld, apps_fixture, register  # noqa: F401

pytestmark = pytest.mark.django_db

LOOKUP = reverse("workbench:application_applicant_lookup")
USCC = "91360400MA35XXXX1L"


def _value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


def _typed(w: AppWorld, **values) -> dict:
    return {"agency": w.a.agency.code, "channel": "post", "received_on": timezone.localdate().isoformat(),
            "description": "2026年学区划分方案", "form": "paper", "delivery": "post", **values}  # fmt: skip


def _lookups():
    return AuditEvent.objects.filter(action=REVEAL_ACTION, after__shown="applicant_lookup")


def test_the_identity_number_fills_the_applicants_details_and_the_form_then_registers(client, apps: AppWorld):
    client.force_login(apps.a.clerk)
    html = client.post(LOOKUP, _typed(apps, id_number=ID_NUMBER.lower(), phone="")).content.decode()
    assert 'id="applicant-lookup"' in html and "已从本机关此前的" in html
    assert _value(html, "name") == "张三" and _value(html, "phone") == MOBILE
    assert (
        _value(html, "address") == "江州市滨江区江滨路1号" and _value(html, "email") == "zhangsan@example.com"
    )
    assert _value(html, "id_number") == ID_NUMBER
    assert "2026年学区划分方案" in html  # what was typed stays
    event = _lookups().get()
    assert event.actor == apps.a.clerk and event.after["found"] >= 1
    assert ID_NUMBER not in str(event.after)  # the code is masked in the trail
    # the form as filled registers: the clerk typed only the request
    data = {name: _value(html, name) for name in ("name", "id_number", "phone", "email", "address", "postcode",
                                                  "contact_name", "org_code")}  # fmt: skip
    data |= {"applicant_type": "natural_person", "id_type": "resident_id"}
    response = client.post(reverse("workbench:application_register"), _typed(apps, **data))
    assert response.status_code == 302
    new = Application.objects.get(description="2026年学区划分方案")
    assert (new.name, new.phone, new.address) == ("张三", MOBILE, "江州市滨江区江滨路1号")


def test_what_the_clerk_typed_is_kept(client, apps: AppWorld):
    client.force_login(apps.a.clerk)
    html = client.post(LOOKUP, _typed(apps, id_number=ID_NUMBER, phone="13900001111")).content.decode()
    assert _value(html, "phone") == "13900001111" and _value(html, "name") == "张三"


def test_an_organisation_is_found_by_its_credit_code(client, apps: AppWorld):
    register(apps.a, applicant_type="commercial_enterprise", name="江州某某科技有限公司", id_type="", id_number="",
             org_code=USCC, contact_name="王经理", phone="0792-8888888")  # fmt: skip
    client.force_login(apps.a.clerk)
    html = client.post(LOOKUP, _typed(apps, org_code=USCC)).content.decode()
    assert _value(html, "name") == "江州某某科技有限公司" and _value(html, "contact_name") == "王经理"
    assert _value(html, "phone") == "0792-8888888"


def test_only_the_clerks_agency_and_never_an_anonymised_application(client, apps: AppWorld):
    # agency B's clerk typing A's applicant finds nothing of A
    client.force_login(apps.outsider)
    html = client.post(LOOKUP, _typed(apps, agency=apps.b.agency.code, id_number=ID_NUMBER)).content.decode()
    assert MOBILE not in html and "没有该证件号码" in html
    html = client.post(LOOKUP, _typed(apps, id_number=ID_NUMBER)).content.decode()  # A: not theirs
    assert MOBILE not in html and "请先选择受理机关" in html
    with pytest.raises(services.NotPermitted):
        services.applicant_lookup(agency=apps.a.agency, code=ID_NUMBER, actor=apps.outsider)
    # past their retention period A's applications are anonymised: nothing comes back
    Application.objects.filter(agency=apps.a.agency).update(anonymised_at=timezone.now())
    client.force_login(apps.a.clerk)
    html = client.post(LOOKUP, _typed(apps, id_number=ID_NUMBER)).content.decode()
    assert MOBILE not in html and "没有该证件号码" in html
    assert [e.after["found"] for e in _lookups().order_by("id")] == [0, 0]  # each look-up audited
