"""Least privilege on applicants' personal data (issue 10, §6; applications/personal_data.py).

The identity number, phone, e-mail, address, identity proofs and the whole-case zip are masked
or refused for every role by default: account administrators, reviewers, leaders, clerks not
handling the case, an administrator of another bureau, superusers. Only the staff handling the
case (its assignee or registrar, and the office head) may reveal them, each time with a reason
that is audited; the Django admin shows them masked, to superusers too."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import ApplicationFile
from gongkai.applications.personal_data import REVEAL_ACTION, may_reveal
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_office, make_staff

from .applications_world import ID_NUMBER, MOBILE, applicant, register, sample_pdf

pytestmark = pytest.mark.django_db

EMAIL = "zhangsan@example.com"
ADDRESS = "江州市滨江区江滨路1号"
FULL_VALUES = (ID_NUMBER, MOBILE, EMAIL, ADDRESS)


class Case:
    """One agency under a city government, an application with an identity proof, and one
    person in each role that matters."""

    def __init__(self):
        city = make_agency("江州市人民政府")
        self.office = make_office("江州市教育局", parent=city)
        agency = self.office.agency
        proof = SimpleUploadedFile(
            "身份证.pdf", sample_pdf(f"ID {ID_NUMBER}"), content_type="application/pdf"
        )
        self.application = services.application_submit_online(
            data=applicant(agency), identity_proof=proof
        ).application
        self.handler = self.office.clerk
        self.application = services.application_confirm_receipt(
            application=self.application, on=timezone.localdate(), actor=self.handler
        )
        self.proof = self.application.files.get(kind=ApplicationFile.Kind.IDENTITY_PROOF)
        self.office_head = self.office.office_head
        self.reviewer = self.office.unit_head
        self.leader = self.office.leader
        self.administrator = make_staff(agency, Role.ADMINISTRATOR)
        self.other_clerk = make_staff(agency, Role.CLERK)
        self.city_administrator = make_staff(city, Role.ADMINISTRATOR)  # another bureau, above: in scope
        sibling = make_agency("江州市财政局", parent=city)
        self.other_bureau_administrator = make_staff(sibling, Role.ADMINISTRATOR, Role.OFFICE_HEAD)
        self.superuser = get_user_model().objects.create_superuser(
            "root", "root@example.com", "Pw-Example-2026"
        )

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"workbench:{name}", kwargs={"pk": self.application.pk, **kwargs})


@pytest.fixture
def case() -> Case:
    return Case()


def _page(client, case) -> str:
    response = client.get(case.url("application_detail"))
    assert response.status_code == 200
    return response.content.decode()


def _zip(response) -> tuple[dict, list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        return json.loads(zf.read("案卷摘要.json")), zf.namelist()


def _reveals(case) -> list[dict]:
    return list(
        AuditEvent.objects.filter(action=REVEAL_ACTION, object_id=str(case.application.pk))
        .order_by("id")
        .values_list("after", flat=True)
    )


def _reveal(client, case, reason="电话联系申请人补正"):
    return client.post(case.url("application_reveal"), {"reveal-reason": reason})


@pytest.mark.parametrize(
    "who", ["administrator", "reviewer", "leader", "other_clerk", "city_administrator", "superuser"]
)
def test_everyone_not_handling_the_case_sees_it_masked_and_cannot_reveal(client, case, who):
    client.force_login(getattr(case, who))
    page = _page(client, case)
    for value in FULL_VALUES:
        assert value not in page, (who, value)
    assert "110105********002X" in page and "138****5678" in page
    assert 'id="reveal"' not in page
    assert _reveal(client, case).status_code == 403
    page = _page(client, case)
    assert ID_NUMBER not in page and MOBILE not in page
    # The identity proof is refused; the whole-case zip (where it is offered at all) is masked
    # and holds no proof.
    assert client.get(case.url("application_file", file_pk=case.proof.pk)).status_code == 403
    export = client.get(case.url("application_export"))
    if export.status_code == 200:
        summary, names = _zip(export)
        raw = json.dumps(summary, ensure_ascii=False)
        assert all(value not in raw for value in FULL_VALUES)
        assert summary["personal_data"] == "masked"
        assert not any("身份证明" in n for n in names)
        assert [f for f in summary["files"] if f.get("withheld")]
    else:
        assert export.status_code == 403
    assert _reveals(case) == []


def test_an_administrator_of_another_bureau_cannot_even_find_it(client, case):
    client.force_login(case.other_bureau_administrator)
    assert client.get(case.url("application_detail")).status_code == 404
    assert client.get(case.url("application_file", file_pk=case.proof.pk)).status_code == 404
    assert _reveal(client, case).status_code == 404


@pytest.mark.parametrize("who", ["handler", "office_head"])
def test_the_staff_handling_the_case_reveal_it_with_a_reason_and_each_reveal_is_audited(client, case, who):
    user = getattr(case, who)
    client.force_login(user)
    page = _page(client, case)
    assert ID_NUMBER not in page and MOBILE not in page  # masked by default for them too
    assert 'id="reveal"' in page and "显示完整信息" in page
    # Before a reveal: no identity proof, a masked zip.
    assert client.get(case.url("application_file", file_pk=case.proof.pk)).status_code == 403
    summary, names = _zip(client.get(case.url("application_export")))
    assert summary["applicant"]["id_number"] != ID_NUMBER and not any("身份证明" in n for n in names)

    # No reason: refused with the form kept, nothing shown or audited.
    response = _reveal(client, case, reason="   ")
    assert response.status_code == 400 and "请填写查看完整信息的理由" in response.content.decode()
    assert ID_NUMBER not in response.content.decode() and _reveals(case) == []

    response = _reveal(client, case, reason="电话联系申请人补正")
    assert response.status_code == 302
    page = _page(client, case)
    for value in FULL_VALUES:
        assert value in page
    proof = client.get(case.url("application_file", file_pk=case.proof.pk))
    assert proof.status_code == 200 and "attachment" in proof["Content-Disposition"]
    summary, names = _zip(client.get(case.url("application_export")))
    assert summary["applicant"]["id_number"] == ID_NUMBER and summary["personal_data"] == "full"
    assert any("身份证明" in n for n in names)

    events = _reveals(case)
    assert [e["shown"] for e in events] == ["details", "identity_proof", "case_export"]
    assert all(e["reason"] == "电话联系申请人补正" for e in events)
    assert events[1]["file"] == case.proof.pk
    actors = set(AuditEvent.objects.filter(action=REVEAL_ACTION).values_list("actor_id", flat=True))
    assert actors == {user.pk}


def test_a_reveal_is_for_its_holder_and_ends_when_they_stop_handling_the_case(client, case):
    client.force_login(case.handler)
    _reveal(client, case)
    assert ID_NUMBER in _page(client, case)
    # Submitted online, the clerk only confirmed it (no registrar): once it is assigned to
    # someone else, the clerk no longer handles it and the reveal no longer holds.
    services.application_assign(
        application=case.application, assignee=case.office_head, actor=case.office_head
    )
    case.application.refresh_from_db()
    assert not may_reveal(case.handler, case.application)
    assert ID_NUMBER not in _page(client, case)
    assert client.get(case.url("application_file", file_pk=case.proof.pk)).status_code == 403


def test_before_anyone_handles_an_online_application_its_agencys_clerks_may_reveal(case):
    fresh = services.application_submit_online(data=applicant(case.office.agency)).application
    assert may_reveal(case.other_clerk, fresh) and may_reveal(case.handler, fresh)
    assert not may_reveal(case.reviewer, fresh) and not may_reveal(case.administrator, fresh)
    assert not may_reveal(case.superuser, fresh)
    registered = register(case.office)  # registered by the clerk off-line: theirs
    assert may_reveal(case.handler, registered) and not may_reveal(case.other_clerk, registered)


def test_the_django_admin_shows_personal_data_masked_even_to_a_superuser(client, case):
    client.force_login(case.superuser)
    change = client.get(reverse("admin:applications_application_change", args=[case.application.pk]))
    assert change.status_code == 200
    page = change.content.decode()
    for value in FULL_VALUES:
        assert value not in page
    assert "110105********002X" in page and "138****5678" in page
    listing = client.get(reverse("admin:applications_application_changelist"), {"q": ID_NUMBER})
    assert case.application.tracking_no not in listing.content.decode()  # no search on personal data
