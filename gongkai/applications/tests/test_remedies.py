"""The remedies each reply states and who hears them (regulation.md, "Replies"; Reconsideration
Law 2023 Art. 23): the agency records its reconsideration body and court with addresses; without
them it cannot issue a letter that must name them; the progress page and the guide name them."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.services import RemedyData, agency_remedies_update
from gongkai.applications import services
from gongkai.applications.models import Application, Letter
from gongkai.applications.progress import application_progress
from gongkai.applications.rules import ApplicantType, ApplicationState, Channel
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 3, 2)
REMEDIES = RemedyData(
    reconsideration_body="江州市人民政府",
    reconsideration_address="江州市浔阳区长虹大道88号",
    court="江州市浔阳区人民法院",
    court_address="江州市浔阳区九华门街50号",
)


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    Agency.objects.filter(pk=agency.pk).update(
        reconsideration_body="", reconsideration_address="", court="", court_address=""
    )
    agency.refresh_from_db()
    return {
        "agency": agency,
        "clerk": make_staff(agency, Role.CLERK),
        "head": make_staff(agency, Role.OFFICE_HEAD),
    }


def register(office):
    return services.application_register(
        data={
            "agency": office["agency"],
            "applicant_type": ApplicantType.NATURAL_PERSON,
            "name": "张三",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "email": "zhangsan@example.com",
            "address": "江州市滨江区江滨路1号",
            "description": "2025年江州市义务教育阶段学校招生计划",
            "form": "electronic",
            "delivery": "email",
        },
        channel=Channel.POST,
        received_on=RECEIVED,
        actor=office["clerk"],
    )


def decide(office, application, outcome="unavailable_not_held"):
    return services.application_decide(
        application=application,
        outcome=outcome,
        actor=office["clerk"],
        reasons="经检索，本机关不掌握该信息。",
    )


def test_an_agency_without_its_remedy_bodies_cannot_issue_a_reply_and_is_told_what_to_fill_in(office):
    application = register(office).application
    with pytest.raises(services.ApplicationError) as refused:
        decide(office, application)
    message = str(refused.value)
    for label in ("行政复议机关", "行政复议机关地址", "管辖人民法院", "人民法院地址"):
        assert label in message
    assert "公开指南" in message  # where to fill them in
    # Nothing changed: no letter, no decision.
    application.refresh_from_db()
    assert application.state == ApplicationState.RECEIVED and not application.outcome
    assert not Letter.objects.filter(application=application).exists()


def test_a_refusal_to_disclose_needs_the_reconsideration_body_only(office):
    agency_remedies_update(
        agency=office["agency"],
        data=RemedyData(
            reconsideration_body="江州市人民政府", reconsideration_address="江州市浔阳区长虹大道88号"
        ),
        actor=office["head"],
    )
    with pytest.raises(services.ApplicationError, match="管辖人民法院"):
        decide(office, register(office).application, "unavailable_not_held")
    letter = decide(office, register(office).application, "withheld_internal")
    text = "".join(letter.paragraphs)
    assert "您应当先向江州市人民政府（地址：江州市浔阳区长虹大道88号）申请行政复议" in text


def test_once_recorded_the_reply_names_both_with_their_address(office):
    agency_remedies_update(agency=office["agency"], data=REMEDIES, actor=office["head"])
    letter = decide(office, register(office).application)
    text = "".join(letter.paragraphs)
    assert "60日内向江州市人民政府（地址：江州市浔阳区长虹大道88号）申请行政复议" in text
    assert "6个月内直接向江州市浔阳区人民法院（地址：江州市浔阳区九华门街50号）提起行政诉讼" in text
    assert "应当先" not in text


def test_the_progress_page_names_the_remedies_once_the_reply_is_delivered(office, client):
    agency_remedies_update(agency=office["agency"], data=REMEDIES, actor=office["head"])
    submitted = register(office)
    application = submitted.application
    letter = decide(office, application)
    assert application_progress(Application.objects.get(pk=application.pk)).remedies is None  # not delivered
    services.letter_deliver(letter=letter, method="email", on=date(2026, 3, 20), actor=office["clerk"])
    progress = application_progress(Application.objects.get(pk=application.pk))
    assert progress.remedies is not None and not progress.remedies.reconsideration_first
    (line,) = progress.remedies.lines
    assert "江州市人民政府（地址：江州市浔阳区长虹大道88号）" in line
    assert "6个月内直接向江州市浔阳区人民法院（地址：江州市浔阳区九华门街50号）" in line
    response = client.post(
        reverse("portal:progress"),
        {"tracking_no": application.tracking_no, "query_code": submitted.query_code},
    )
    html = response.content.decode()
    assert "救济途径" in html and "江州市浔阳区九华门街50号" in html


def test_the_progress_page_tells_a_refused_applicant_to_seek_reconsideration_first(office):
    agency_remedies_update(agency=office["agency"], data=REMEDIES, actor=office["head"])
    application = register(office).application
    letter = decide(office, application, "withheld_process")
    services.letter_deliver(letter=letter, method="email", on=date(2026, 3, 20), actor=office["clerk"])
    remedies = application_progress(Application.objects.get(pk=application.pk)).remedies
    assert remedies.reconsideration_first and remedies.court == ""
    assert "应当先向江州市人民政府（地址：江州市浔阳区长虹大道88号）申请行政复议" in remedies.lines[0]


def test_the_workbench_says_what_to_fill_in_when_the_reply_is_refused(office, client):
    application = register(office).application
    client.force_login(office["clerk"])
    response = client.post(
        reverse("workbench:application_decide", kwargs={"pk": application.pk}),
        {
            "decide-outcome": "disclosed",
            "decide-provided_how": "电子邮件",
            "decide-version": application.version,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "本机关尚未登记行政复议机关、行政复议机关地址、管辖人民法院、人民法院地址" in html
    assert "公开指南" in html
    application.refresh_from_db()
    assert application.state == ApplicationState.RECEIVED
