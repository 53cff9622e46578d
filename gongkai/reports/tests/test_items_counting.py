"""The annual report counts an application answered item by item (分项答复) once, as the national
form says: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" when its items' outcomes differ,
under the items' one outcome when they share it (annual-report.md, "Each application counts
once"). Figures counted by hand below."""

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.rules import ApplicantType, Channel, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports.annual import annual_report_data

pytestmark = pytest.mark.django_db

NP, CE = ApplicantType.NATURAL_PERSON, ApplicantType.COMMERCIAL_ENTERPRISE


def _register(agency, clerk, applicant_type):
    data = {
        "agency": agency,
        "applicant_type": applicant_type,
        "name": "张三" if applicant_type == NP else "江州某某科技有限公司",
        "id_type": "resident_id" if applicant_type == NP else "",
        "id_number": "11010519491231002X" if applicant_type == NP else "",
        "org_code": "" if applicant_type == NP else "91330100MA2B3C4D5E",
        "phone": "13812345678",
        "address": "江州市滨江区江滨路1号",
        "description": "若干项政府信息",
        "form": "electronic",
        "delivery": "email",
    }
    return services.application_register(
        data=data, channel=Channel.POST, received_on=timezone.localdate(), actor=clerk
    ).application


def _answered(agency, clerk, applicant_type, *outcomes, close=True):
    """An application split into one item per outcome, decided and (``close``) delivered; with
    no outcomes given it is decided as one ("disclosed")."""
    app = _register(agency, clerk, applicant_type)
    for n, outcome in enumerate(outcomes, start=1):
        item = services.item_add(application=app, description=f"第{n}项信息", actor=clerk)
        if close:
            services.item_record(
                item=item, outcome=outcome, reasons="理由", other_agency="江州市税务局", actor=clerk
            )
    if not close:
        return app
    letter = services.application_decide(
        application=app, outcome="" if outcomes else Outcome.DISCLOSED, actor=clerk
    )
    services.letter_deliver(letter=letter, method="email", on=timezone.localdate(), proof="回执", actor=clerk)
    return app


def test_an_application_with_items_counts_once_partly_disclosed_only_when_items_differ():
    agency = make_agency("江州市教育局")
    clerk = make_staff(agency, Role.CLERK)
    _answered(agency, clerk, NP, Outcome.DISCLOSED, Outcome.WITHHELD_PROCESS)  # A1: differ → （二）
    _answered(agency, clerk, NP, Outcome.WITHHELD_PROCESS, Outcome.WITHHELD_PROCESS)  # A2: same → 三（三）6
    _answered(agency, clerk, CE, Outcome.DISCLOSED, Outcome.DISCLOSED)  # A3: same → （一）
    _answered(agency, clerk, CE)  # A4: not split, disclosed → （一）
    _answered(agency, clerk, NP, Outcome.DISCLOSED, Outcome.UNAVAILABLE_NOT_HELD)  # A5: differ → （二）
    _answered(agency, clerk, NP, Outcome.DISCLOSED, close=False)  # A6: still open → 四

    t = annual_report_data(agency=agency, year=timezone.localdate().year)["tables"]["table2"]

    assert (t["received"][NP], t["received"][CE], t["received"]["total"]) == (4, 2, 6)
    assert (t["partially_disclosed"][NP], t["partially_disclosed"][CE]) == (2, 0)  # A1, A5
    assert (t["disclosed"][NP], t["disclosed"][CE]) == (0, 2)  # A3, A4: A1 and A5 not counted here
    assert t["withheld_process"][NP] == 1 and t["withheld"]["total"] == 1  # A2 once, not per item
    assert t["unavailable_not_held"]["total"] == 0 and t["unavailable"]["total"] == 0  # A5 only in （二）
    assert (t["total"][NP], t["total"][CE], t["total"]["total"]) == (3, 2, 5)  # five closed, each once
    assert t["carried_forward"]["total"] == 1  # A6
    assert (
        t["received"]["total"] + t["carried_over"]["total"]
        == t["total"]["total"] + t["carried_forward"]["total"]
    )
