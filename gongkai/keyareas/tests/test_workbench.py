"""Every key-area URL of the workbench, walked as anonymous, as a user without a staff role, as a
user out of scope and as the right user; then the pages themselves: registering a project,
recording a date, linking a document, the compliance view and the notice-board sheet.

KEYAREA_URLS lists every ``keyarea_*`` pattern of gongkai/workbench/urls.py (POST endpoints
included), for workbench/tests/test_access.test_every_workbench_url_is_walked."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pymupdf
import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import DisclosureOffice
from gongkai.keyareas import services
from gongkai.keyareas.models import KeyArea, Project
from gongkai.publishing.tests.factories import make_staff

from .factories import KeyAreaWorld, make_procurement, make_world, publish_doc, stage

pytestmark = pytest.mark.django_db


@dataclass
class W:
    world: KeyAreaWorld
    project: Project
    occurred: object  # the result stage, its date recorded
    linked: object  # the announcement stage, fulfilled
    document: object  # a public document of the bureau, not yet linked


@pytest.fixture
def w(db) -> W:
    world = make_world()
    DisclosureOffice.objects.create(agency=world.bureau, name="江州市教育局办公室", address="长虹大道88号")
    project = make_procurement(world)
    day = timezone.localdate() - timedelta(days=10)
    occurred = services.obligation_occur(
        obligation=stage(project, "result"), occurred_on=day, actor=world.clerk
    )
    linked = services.obligation_occur(
        obligation=stage(project, "announcement"), occurred_on=day, actor=world.clerk
    )
    services.obligation_fulfil(
        obligation=linked, document=publish_doc(world.bureau, "采购公告", day), actor=world.clerk
    )
    return W(world, project, occurred, linked, publish_doc(world.bureau, "中标结果公告", day))


@dataclass
class KeyAreaUrl:
    name: str
    kwargs: Callable[[W], dict] = lambda w: {"pk": w.project.pk}
    method: str = "get"
    data: Callable[[W], dict] = lambda w: {}
    ok: int = 200
    outsider_status: int = 404
    hidden: Callable[[W], list[str]] = field(default=lambda w: [])


KEYAREA_URLS = [
    KeyAreaUrl("keyarea_compliance", kwargs=lambda w: {}, outsider_status=200, hidden=lambda w: [w.world.bureau.name]),
    KeyAreaUrl("keyarea_project_list", kwargs=lambda w: {}, outsider_status=200, hidden=lambda w: [w.project.title]),
    KeyAreaUrl("keyarea_project_new", kwargs=lambda w: {}, outsider_status=200, hidden=lambda w: [w.world.bureau.name]),
    KeyAreaUrl("keyarea_project_detail"),
    KeyAreaUrl("keyarea_obligation_occur", kwargs=lambda w: {"pk": w.project.pk, "opk": w.occurred.pk}, method="post",
               ok=302, data=lambda w: {"occurred_on": w.occurred.occurred_on.isoformat()}),
    KeyAreaUrl("keyarea_obligation_fulfil", kwargs=lambda w: {"pk": w.project.pk, "opk": w.occurred.pk}, method="post",
               ok=302, data=lambda w: {"index_no": w.document.index_no}),
    KeyAreaUrl("keyarea_obligation_unlink", kwargs=lambda w: {"pk": w.project.pk, "opk": w.linked.pk}, method="post",
               ok=302),
    KeyAreaUrl("keyarea_board", kwargs=lambda w: {"code": w.world.bureau.code}),
]  # fmt: skip


def _request(client, u: KeyAreaUrl, w: W):
    return getattr(client, u.method)(reverse(f"workbench:{u.name}", kwargs=u.kwargs(w)), u.data(w))


@pytest.mark.parametrize("u", KEYAREA_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_keyarea_url_refuses_anonymous_and_out_of_scope_and_serves_the_right_user(client, w, u):
    response = _request(client, u, w)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/?next=")
    client.force_login(make_staff(w.world.bureau))  # signed in without any staff role
    assert _request(client, u, w).status_code == 404
    client.force_login(w.world.outsider)
    response = _request(client, u, w)
    assert response.status_code == u.outsider_status
    for text in u.hidden(w):
        assert text not in response.content.decode()
    client.force_login(w.world.clerk)
    response = _request(client, u, w)
    assert response.status_code == u.ok
    if u.ok == 302:
        assert response["Location"].startswith(f"/staff/keyareas/projects/{w.project.pk}/")


def test_a_supervisor_above_reads_the_project_and_acts_on_nothing(client, w):
    client.force_login(w.world.supervisor)
    page = client.get(reverse("workbench:keyarea_project_detail", args=[w.project.pk])).content.decode()
    assert w.project.title in page and "/obligations/" not in page
    url = reverse("workbench:keyarea_obligation_unlink", args=[w.project.pk, w.linked.pk])
    assert client.post(url).status_code == 403
    w.linked.refresh_from_db()
    assert w.linked.document_id is not None


def test_registering_a_project_through_the_form(client, w):
    client.force_login(w.world.clerk)
    area = KeyArea.objects.get(code="construction")
    response = client.post(
        reverse("workbench:keyarea_project_new"),
        {
            "agency": w.world.bureau.pk,
            "area": area.pk,
            "number": "2026-360400-82-01-000001",
            "title": "江州市第三中学新校区建设项目",
        },
    )
    project = Project.objects.get(number="2026-360400-82-01-000001")
    assert response["Location"] == reverse("workbench:keyarea_project_detail", args=[project.pk])
    assert project.obligations.count() == 7


def test_linking_a_document_of_another_agency_is_refused_with_a_reason(client, w):
    client.force_login(w.world.clerk)
    other = publish_doc(w.world.city, "市政府文件", timezone.localdate())
    url = reverse("workbench:keyarea_obligation_fulfil", args=[w.project.pk, w.occurred.pk])
    response = client.post(url, {"index_no": other.index_no})
    assert response.status_code == 400 and "本机关已公开的政府信息中没有索引号" in response.content.decode()


def test_a_future_date_is_refused(client, w):
    client.force_login(w.world.clerk)
    url = reverse("workbench:keyarea_obligation_occur", args=[w.project.pk, w.occurred.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {"occurred_on": tomorrow.isoformat()})
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()


def test_the_intention_takes_the_planned_start_of_the_procurement(client, w):
    client.force_login(w.world.clerk)
    intention = stage(w.project, "intention")
    start = timezone.localdate() + timedelta(days=45)
    url = reverse("workbench:keyarea_obligation_occur", args=[w.project.pk, intention.pk])
    assert client.post(url, {"occurred_on": start.isoformat()}).status_code == 302
    intention.refresh_from_db()
    assert intention.due_on == start - timedelta(days=30)


def test_the_compliance_view_counts_and_lists_the_overdue(client, w):
    client.force_login(w.world.supervisor)
    page = client.get(reverse("workbench:keyarea_compliance")).content.decode()
    assert f'data-agency="{w.world.bureau.code}" data-area="procurement"' in page
    assert "中标（成交）供应商" not in page  # the list names items by their matter
    assert f"{w.project.title} · 采购结果" in page  # due 2 working days after, ten days ago: overdue


def test_the_notice_board_is_an_a3_pdf_with_a_qr_code_per_entry(client, w):
    client.force_login(w.world.clerk)
    response = client.get(reverse("workbench:keyarea_board", args=[w.world.bureau.code]))
    assert response["Content-Type"] == "application/pdf"
    with pymupdf.open(stream=response.content, filetype="pdf") as doc:
        page = doc[0]
        assert (round(page.rect.width / 72 * 25.4), round(page.rect.height / 72 * 25.4)) == (297, 420)
        text = page.get_text()
        assert "江州市教育局政务公开栏" in text and "长虹大道88号" in text
        assert "采购公告" in text and "中标结果公告" in text  # latest disclosures
        assert w.project.title in text and "已公开 1 / 5 项" in text  # key-area items
        assert "目前没有正在征求意见的事项" in text
        assert len(page.get_images()) == 3  # two documents and one project, each with its QR code
        assert all(f[3].startswith("Noto Serif CJK") for f in page.get_fonts())
    assert len(response.content) < 400_000  # the CJK font is subset, not embedded whole


def test_the_notice_board_lists_the_offices_open_consultations(client):
    from gongkai.consultations.tests.factories import make_consultation
    from gongkai.publishing.tests.factories import make_office

    office = make_office("江州市生态环境局")
    consultation = make_consultation(office, title="江州市扬尘污染防治办法（征求意见稿）")
    client.force_login(office.clerk)
    response = client.get(reverse("workbench:keyarea_board", args=[office.agency.code]))
    with pymupdf.open(stream=response.content, filetype="pdf") as doc:
        text = doc[0].get_text()
    assert "江州市扬尘污染防治办法（征求意见稿）" in text
    assert f"征求意见截止：{consultation.closes_on.isoformat()}" in text
