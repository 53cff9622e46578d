"""Every staff URL, walked as anonymous, as a user out of scope and as the right user.

STAFF_URLS lists every pattern of gongkai/workbench/urls.py (POST endpoints included); a new
pattern that is not listed here fails test_every_workbench_url_is_walked."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from gongkai.agencies.models import Role
from gongkai.catalogue.attachments import attachment_add
from gongkai.catalogue.tests.samples import make_pdf
from gongkai.publishing.models import ImagePage, ManualRedaction
from gongkai.publishing.tests.factories import draft, make_staff
from gongkai.workbench import urls as workbench_urls

from .conftest import World

pytestmark = pytest.mark.django_db


def _office_pdf(w: World):
    """A PDF attachment on the record the office head is reviewing (made once per world)."""
    if not hasattr(w, "office_pdf"):
        w.office_pdf = attachment_add(
            document=w.at_office.document, data=make_pdf("Checklist"), filename="检查表.pdf", actor=w.a.clerk
        )
    return w.office_pdf


def _manual(w: World):
    if not hasattr(w, "manual"):
        w.manual = ManualRedaction.objects.create(
            submission=w.at_office,
            kind=ManualRedaction.VALUE,
            value=w.finding.value,
            ground="personal_data",
            created_by=w.a.office_head,
        )
    return w.manual


def _held(w: World):
    if not hasattr(w, "held"):
        w.held = ImagePage.objects.create(
            submission=w.at_office, attachment=_office_pdf(w), page=1, reason="扫描页", method=ImagePage.HELD
        )
    return w.held


@dataclass
class StaffUrl:
    name: str
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    data: Callable[[World], dict] = lambda w: {}
    user: Callable[[World], object] = lambda w: w.a.clerk  # the right user
    ok: int = 200
    # Who is out of scope here (default: staff of another agency) and what they get.
    outsider: Callable[[World], object] = lambda w: w.outsider
    outsider_status: int = 404
    hidden: Callable[[World], list[str]] = field(default=lambda w: [])  # must not appear for the outsider


def _titles_of_a(w: World) -> list[str]:
    return [w.drafted.document.title, w.in_review.document.title, w.at_office.document.title]


STAFF_URLS = [
    StaffUrl("dashboard", outsider_status=200, hidden=_titles_of_a),
    StaffUrl("record_list", outsider_status=200, hidden=_titles_of_a),
    # Drafting needs the clerk role somewhere: a reviewer only is "not found".
    StaffUrl("record_new", outsider=lambda w: w.a.unit_head),
    StaffUrl("record_new", method="post", outsider=lambda w: w.a.unit_head, ok=302, data=lambda w: {
        "agency": w.a.agency.pk, "title": "新起草的通知", "written_on": "2026-09-01",
        "disclosure_attribute": "proactive", "info_type": "document", "body": "正文",
    }),
    StaffUrl("record_detail", kwargs=lambda w: {"pk": w.drafted.pk}),
    StaffUrl("record_edit", kwargs=lambda w: {"pk": w.drafted.pk}),
    StaffUrl("record_edit", kwargs=lambda w: {"pk": w.drafted.pk}, method="post", ok=302, data=lambda w: {
        "title": "草稿：修改后的标题", "written_on": "2026-09-01", "disclosure_attribute": "proactive",
        "info_type": "document", "body": "正文", "version": w.drafted.version,
    }),
    StaffUrl("record_submit", kwargs=lambda w: {"pk": w.drafted.pk}, method="post", ok=302,
             data=lambda w: {"submit-opinion": "拟主动公开", "submit-version": w.drafted.version}),
    StaffUrl("record_decide", kwargs=lambda w: {"pk": w.in_review.pk}, method="post", ok=302,
             user=lambda w: w.a.unit_head,
             data=lambda w: {"decide-decision": "approve", "decide-opinion": "同意", "decide-version": w.in_review.version}),
    StaffUrl("record_cancel", kwargs=lambda w: {"pk": w.drafted.pk}, method="post", ok=302,
             data=lambda w: {"cancel-reason": "重复起草", "cancel-version": w.drafted.version}),
    StaffUrl("finding_settle", kwargs=lambda w: {"pk": w.at_office.pk, "finding_pk": w.finding.pk}, method="post",
             ok=302, user=lambda w: w.a.office_head,
             data=lambda w: {f"finding-{w.finding.pk}-decision": "redact"}),
    StaffUrl("findings_settle_value", kwargs=lambda w: {"pk": w.at_office.pk, "finding_pk": w.finding.pk},
             method="post", ok=302, user=lambda w: w.a.office_head,
             data=lambda w: {f"finding-{w.finding.pk}-decision": "redact"}),
    StaffUrl("attachment_upload", kwargs=lambda w: {"pk": w.drafted.pk}, method="post", ok=302, data=lambda w: {
        "attachment-file": SimpleUploadedFile("名单.pdf", make_pdf("List"), content_type="application/pdf"),
    }),
    StaffUrl("attachment_download", kwargs=lambda w: {"pk": w.drafted.pk, "attachment_pk": w.attachment.pk}),
    StaffUrl("attachment_remove", kwargs=lambda w: {"pk": w.drafted.pk, "attachment_pk": w.attachment.pk},
             method="post", ok=302),
    # Manual redaction and pictures (issue 17), by the office head settling at_office.
    StaffUrl("manual_value", kwargs=lambda w: {"pk": w.at_office.pk}, method="post", ok=302,
             user=lambda w: w.a.office_head,
             data=lambda w: {"manual_value-value": w.finding.value, "manual_value-ground": "personal_data"}),
    StaffUrl("manual_area", kwargs=lambda w: {"pk": w.at_office.pk, "attachment_pk": _office_pdf(w).pk},
             method="post", ok=302, user=lambda w: w.a.office_head,
             data=lambda w: {f"area-{_office_pdf(w).pk}-{k}": v for k, v in
                             {"page": 1, "x0": 10, "y0": 10, "x1": 200, "y1": 60, "ground": "personal_data"}.items()}),
    StaffUrl("manual_remove", kwargs=lambda w: {"pk": w.at_office.pk, "redaction_pk": _manual(w).pk},
             method="post", ok=302, user=lambda w: w.a.office_head,
             data=lambda w: {f"remove-{_manual(w).pk}-reason": "误加"}),
    StaffUrl("image_page_confirm", kwargs=lambda w: {"pk": w.at_office.pk, "image_pk": _held(w).pk},
             method="post", ok=302, user=lambda w: w.a.office_head),
    StaffUrl("page_image", kwargs=lambda w: {"pk": w.drafted.pk, "attachment_pk": w.attachment.pk, "page": 1}),
    StaffUrl("attachment_preview", kwargs=lambda w: {"pk": w.drafted.pk, "attachment_pk": w.attachment.pk}),
    StaffUrl("reading_point_export", outsider_status=200),
    # With an agency out of their scope the outsider gets the form back, not the package.
    StaffUrl("reading_point_export", outsider_status=200, hidden=lambda w: ["PK\x03\x04"],
             data=lambda w: {"agency": w.a.agency.pk, "start": "2000-01-01", "end": "2099-12-31"}),
    StaffUrl("document_change", kwargs=lambda w: {"pk": w.published.pk}),
    StaffUrl("document_change", kwargs=lambda w: {"pk": w.published.pk}, method="post", ok=302,
             data=lambda w: {"kind": "withdraw", "reason": "内容有误"}),
    # The guide's office details: the office head of A; the outsider keeps B's, not A's.
    StaffUrl("guide", user=lambda w: w.a.office_head, data=lambda w: {"agency": w.a.agency.pk},
             hidden=lambda w: [w.a.agency.name]),
    StaffUrl("guide", method="post", user=lambda w: w.a.office_head, ok=302, hidden=lambda w: [w.a.agency.name],
             data=lambda w: {"agency": w.a.agency.pk, "name": "江州市教育局办公室", "phone": "0792-8221001"}),
    StaffUrl("guide_confirm", method="post", user=lambda w: w.a.office_head, ok=302,
             data=lambda w: {"agency": w.a.agency.pk}),
]  # fmt: skip


def test_every_workbench_url_is_walked():
    prefix, resolver = get_resolver().namespace_dict["workbench"]
    assert prefix == "staff/"
    patterns = {p.name for p in resolver.url_patterns}
    assert patterns == {p.name for p in workbench_urls.urlpatterns}
    from .test_applications_access import APPLICATION_URLS
    from .test_reports_access import REPORT_URLS

    walked = {u.name for u in STAFF_URLS} | {u.name for u in APPLICATION_URLS} | {u.name for u in REPORT_URLS}
    from gongkai.assessment.tests.test_workbench import ASSESSMENT_URLS

    walked |= {u.name for u in ASSESSMENT_URLS}  # walked in gongkai/assessment/tests/test_workbench.py
    from .test_complaints_access import COMPLAINT_URLS

    walked |= {u.name for u in COMPLAINT_URLS}
    from .test_paperwork_pages import PAPERWORK_URLS

    walked |= {u.name for u in PAPERWORK_URLS}
    from .test_statistics_pages import STATISTICS_URLS

    walked |= {u.name for u in STATISTICS_URLS}
    from .test_powers import POWER_URLS

    walked |= {u.name for u in POWER_URLS}
    from gongkai.consultations.tests.test_pages import CONSULTATION_URLS
    from gongkai.questions.tests.test_services_and_pages import QUESTION_URLS

    walked |= {u.name for u in CONSULTATION_URLS} | {u.name for u in QUESTION_URLS}  # issue 16, their apps
    from gongkai.keyareas.tests.test_workbench import KEYAREA_URLS

    walked |= {u.name for u in KEYAREA_URLS}  # walked in gongkai/keyareas/tests/test_workbench.py
    from gongkai.casework.tests.test_pages import CASEWORK_URLS

    walked |= {u.name for u in CASEWORK_URLS}  # walked in gongkai/casework/tests/test_pages.py
    from .test_saved_views import SAVED_VIEW_URLS

    walked |= set(SAVED_VIEW_URLS)  # walked in test_saved_views.py
    assert patterns - walked == set(), "add the new workbench URL to a walked list"


def _request(client, u: StaffUrl, w: World):
    url = reverse(f"workbench:{u.name}", kwargs=u.kwargs(w))
    return url, getattr(client, u.method)(url, u.data(w))


@pytest.mark.parametrize("u", STAFF_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_staff_url_refuses_anonymous_and_out_of_scope_and_serves_the_right_user(client, world, u):
    url, response = _request(client, u, world)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")

    # Signed in without any staff role: nothing here exists.
    client.force_login(make_staff(world.a.agency))
    assert _request(client, u, world)[1].status_code == 404

    client.force_login(u.outsider(world))
    response = _request(client, u, world)[1]
    assert response.status_code == u.outsider_status
    for text in u.hidden(world):
        assert text not in response.content.decode()

    client.force_login(u.user(world))
    response = _request(client, u, world)[1]
    assert response.status_code == u.ok, response.content.decode()[:2000]
    if u.ok == 302:
        assert not response["Location"].startswith("/staff/login/")


def test_state_changes_refuse_get(client, world):
    client.force_login(world.a.unit_head)
    url = reverse("workbench:record_decide", kwargs={"pk": world.in_review.pk})
    assert client.get(url).status_code == 405


def test_csrf_is_enforced(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.unit_head)
    url = reverse("workbench:record_decide", kwargs={"pk": world.in_review.pk})
    data = {"decide-decision": "approve", "decide-version": world.in_review.version}
    assert client.post(url, data).status_code == 403
    world.in_review.refresh_from_db()
    assert world.in_review.step == 1


def test_in_scope_but_not_this_step_is_refused_with_a_reason(client, world):
    client.force_login(world.a.leader)  # the leader's step comes later
    url = reverse("workbench:record_decide", kwargs={"pk": world.in_review.pk})
    response = client.post(url, {"decide-decision": "approve", "decide-version": world.in_review.version})
    assert response.status_code == 403
    assert "权限" in response.content.decode()
    world.in_review.refresh_from_db()
    assert world.in_review.current_step.key == "unit_head"


def test_supervisor_sees_the_agencies_below_but_acts_on_none(client, world):
    from gongkai.catalogue.tests.factories import make_agency

    city = make_agency("江州市人民政府")
    world.a.agency.parent = city
    world.a.agency.save()
    supervisor = make_staff(city, Role.SUPERVISOR)
    client.force_login(supervisor)

    dashboard = client.get(reverse("workbench:dashboard")).content.decode()
    assert "所监督的机关" in dashboard and world.a.agency.name in dashboard
    assert world.b.agency.name not in dashboard  # not below the city government in this tree
    assert (
        client.get(reverse("workbench:record_detail", kwargs={"pk": world.in_review.pk})).status_code == 200
    )
    url = reverse("workbench:record_decide", kwargs={"pk": world.in_review.pk})
    response = client.post(url, {"decide-decision": "approve", "decide-version": world.in_review.version})
    assert response.status_code == 403
    elsewhere = draft(world.b)
    assert client.get(reverse("workbench:record_detail", kwargs={"pk": elsewhere.pk})).status_code == 404


def test_reading_point_package_downloads_for_the_agency_in_scope(client, world):
    import io
    import zipfile

    client.force_login(world.a.clerk)
    url = reverse("workbench:reading_point_export")
    response = client.get(url, {"agency": world.a.agency.pk, "start": "2000-01-01", "end": "2099-12-31"})
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        catalogue = zf.read("目录.csv").decode("utf-8-sig")
    assert world.published.title in catalogue
    assert world.drafted.document.title not in catalogue  # drafts are not disclosed
    client.force_login(world.outsider)
    refused = client.get(url, {"agency": world.a.agency.pk, "start": "2000-01-01", "end": "2099-12-31"})
    assert (
        refused["Content-Type"].startswith("text/html") and "选择一个有效的选项" in refused.content.decode()
    )
