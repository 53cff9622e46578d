"""Checking published reports in the workbench (issue 12 §1, 年报质量检查): a supervisor uploads an
agency's report as JSON or as the XLSX the platform exports, sees each finding on the table and
records the agency's explanation (audited)."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import printed
from gongkai.reports.exports import report_xlsx
from gongkai.reports.models import ReportReview

pytestmark = pytest.mark.django_db
FIXTURES = Path(printed.__file__).parent / "tests" / "fixtures"


@pytest.fixture
def world():
    city = make_agency("江州市人民政府")
    district = make_agency("江州市江北区人民政府", parent=city)
    return {"city": city, "district": district, "supervisor": make_staff(city, Role.SUPERVISOR)}


def upload(client, world, name: str, content: bytes, year: int):
    return client.post(
        reverse("workbench:report_reviews"),
        {"agency": world["district"].code, "year": year, "file": SimpleUploadedFile(name, content)},
    )


def test_an_uploaded_xlsx_is_checked_and_each_finding_is_marked_on_the_table(client, world):
    data = printed.read_json((FIXTURES / "district-2022-wrong-total.json").read_bytes())
    client.force_login(world["supervisor"])
    response = upload(client, world, "江北区2022年报.xlsx", report_xlsx(data, {}), 2022)
    assert response.status_code == 302
    review = ReportReview.objects.get()
    assert (review.agency, review.year, review.filename) == (world["district"], 2022, "江北区2022年报.xlsx")
    assert [f["rule"] for f in review.findings] == [
        "（七）总计 = （一）+（二）+（三）+（四）+（五）+（六）",
        "一 + 二 = （七）总计 + 四",
        "总计列 = 六类申请人之和",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "报表为 32，应为 31" in page
    # The printed 32 of （七）总计 in the 总计 column carries the numbers of all three findings.
    table2 = page[page.index('id="review-table2"') :]
    total_row = re.search(r"<th scope=\"row\">（七）总计</th>(.*?)</tr>", table2, re.S).group(1)
    assert total_row.rstrip().endswith('32 <a href="#finding-1" class="wb-mark">[1,2,3]</a></td>')
    # The group rows the file does not print show the sum of their items, in italics.
    withheld_row = re.search(r"<th scope=\"row\">（三）不予公开</th>(.*?)</tr>", table2, re.S).group(1)
    assert "<em>1</em>" in withheld_row


def test_the_agencys_explanation_is_recorded_and_audited(client, world):
    client.force_login(world["supervisor"])
    content = (FIXTURES / "district-2023-carry-over.json").read_bytes()
    upload(client, world, "2023.json", content, 2023)
    review = ReportReview.objects.get()
    assert review.findings == []  # the platform holds no 2022 report of the district
    page = client.get(reverse("workbench:report_review", kwargs={"pk": review.pk})).content.decode()
    assert 'id="findings-ok"' in page

    # With the 2022 report on the platform, 二 of 2023 is checked against its 四.
    from django.core.management import call_command

    call_command(
        "annual_report", "import", str(FIXTURES / "district-2022-wrong-total.json"),
        "--agency", world["district"].code, "--year", "2022",
    )  # fmt: skip
    upload(client, world, "2023.json", content, 2023)
    review = ReportReview.objects.latest("pk")
    assert [(f["column"], f["expected"], f["actual"]) for f in review.findings] == [
        ("natural_person", 5, 4),
        ("legal_service_org", 1, 0),
        ("total", 7, 5),
    ]
    key = ReportReview.finding_key(review.findings[0])
    clerk = make_staff(world["district"], Role.CLERK)
    client.force_login(clerk)  # the district's office answers for itself
    url = reverse("workbench:report_review_explain", kwargs={"pk": review.pk})
    assert client.post(url, {"key": key, "text": "2022年报告结转数含已撤回申请1件。"}).status_code == 302
    review.refresh_from_db()
    assert review.explanations == {key: "2022年报告结转数含已撤回申请1件。"}
    event = AuditEvent.objects.filter(action="report_review_explain").get()
    assert event.after == {"explanations": review.explanations}
    page = client.get(reverse("workbench:report_review", kwargs={"pk": review.pk})).content.decode()
    assert "2022年报告结转数含已撤回申请1件。" in page and "已说明 1 项" in page
    assert client.post(url, {"key": "no|such|finding", "text": "x"}).status_code == 400


def test_the_text_disagreeing_with_the_tables_is_a_finding(client, world):
    client.force_login(world["supervisor"])
    upload(client, world, "city.json", (FIXTURES / "city-2023-group-rows-blank.json").read_bytes(), 2023)
    review = ReportReview.objects.get()
    assert [(f["rule"], f["expected"], f["actual"]) for f in review.findings] == [
        ("正文数字与报表一致", 95, 17)
    ]


def test_a_file_that_is_no_report_or_of_another_year_is_refused_with_the_reason(client, world):
    client.force_login(world["supervisor"])
    response = upload(client, world, "x.json", b"{", 2023)
    assert response.status_code == 400 and "JSON 格式有误" in response.content.decode()
    content = (FIXTURES / "district-2023-carry-over.json").read_bytes()
    response = upload(client, world, "2023.json", content, 2022)
    assert response.status_code == 400 and "不是2022年度" in response.content.decode()
    assert not ReportReview.objects.exists()


def test_a_clerk_reads_the_check_of_their_agency_but_may_not_upload(client, world):
    clerk = make_staff(world["district"], Role.CLERK)
    client.force_login(clerk)
    page = client.get(reverse("workbench:report_reviews")).content.decode()
    assert 'id="upload"' not in page
    content = json.dumps({"year": 2023, "tables": {"table2": {}}}).encode()
    assert upload(client, world, "x.json", content, 2023).status_code == 403
