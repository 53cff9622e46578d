"""分项答复 through the case page (issue 18 item 5): the clerk splits the application, records each
item's outcome, decides once; the page shows every item with its outcome and the reply answers
them in order."""

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.rules import ApplicantType, Channel, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    agency = make_agency("江州市教育局")
    clerk = make_staff(agency, Role.CLERK)
    data = {
        "agency": agency, "applicant_type": ApplicantType.NATURAL_PERSON, "name": "张三",
        "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13812345678",
        "address": "江州市滨江区江滨路1号", "description": "招生计划和校长办公会纪要", "form": "electronic",
        "delivery": "email",
    }  # fmt: skip
    app = services.application_register(
        data=data, channel=Channel.POST, received_on=timezone.localdate(), actor=clerk
    ).application
    return app, clerk


def test_split_record_each_item_and_decide_once_from_the_case_page(client, case):
    app, clerk = case
    client.force_login(clerk)
    detail = reverse("workbench:application_detail", kwargs={"pk": app.pk})
    for text in ("2025年招生计划", "校长办公会纪要"):
        response = client.post(
            reverse("workbench:application_item_add", kwargs={"pk": app.pk}), {"item-description": text}
        )
        assert response.status_code == 302 and response["Location"].endswith("#items")
    plan, minutes = app.items.order_by("position")
    record = reverse("workbench:application_item_record", kwargs={"pk": app.pk})

    # A refusal without reasons is refused with the reason, on the page, nothing recorded.
    response = client.post(
        record, {"item_record-item": minutes.pk, "item_record-outcome": "withheld_process"}
    )
    assert response.status_code == 200 and "须说明理由" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.outcome == ""

    client.post(record, {"item_record-item": plan.pk, "item_record-outcome": "disclosed",
                         "item_record-provided_how": "电子邮件"})  # fmt: skip
    client.post(record, {"item_record-item": minutes.pk, "item_record-outcome": "withheld_process",
                         "item_record-reasons": "系内部讨论记录"})  # fmt: skip
    page = client.get(detail).content.decode()
    table = page[page.index('id="items-table"') : page.index("</table>", page.index('id="items-table"'))]
    assert table.index("2025年招生计划") < table.index("校长办公会纪要")
    assert table.index("予以公开") < table.index("不予公开：属于四类过程性信息")

    app.refresh_from_db()
    response = client.post(
        reverse("workbench:application_decide", kwargs={"pk": app.pk}),
        {"decide-outcome": "", "decide-version": app.version},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.outcome == Outcome.PARTIALLY_DISCLOSED
    reply = app.letters.get(kind="reply")
    assert "一、关于“2025年招生计划”" in reply.paragraphs and "二、关于“校长办公会纪要”" in reply.paragraphs
    page = client.get(detail).content.decode()
    assert "处理结果：部分公开" in page and 'id="item-add"' not in page  # decided: no more splitting


def test_an_item_split_by_mistake_is_taken_back_and_outsiders_cannot_split(client, case):
    app, clerk = case
    item = services.item_add(application=app, description="重复的一项", actor=clerk)
    outsider = make_staff(make_agency("江州市财政局"), Role.CLERK)
    client.force_login(outsider)
    url = reverse("workbench:application_item_add", kwargs={"pk": app.pk})
    assert client.post(url, {"item-description": "x"}).status_code == 404
    client.force_login(clerk)
    remove = reverse("workbench:application_item_remove", kwargs={"pk": app.pk, "item_pk": item.pk})
    assert client.post(remove).status_code == 302
    assert not app.items.exists()
