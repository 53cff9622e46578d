"""Issue 11 §2-§4 with the real data of the issue: what the agency already published is kept
(index numbers, joint issuers, 规范性文件 numbers, dates and their precision), nothing is
invented (dates, 发文字号), and traditional and simplified characters are the same for search.
Each example goes import → API → document page unchanged."""

import json
from datetime import date

import pytest

from gongkai.agencies.models import AgencyLevel
from gongkai.catalogue.importing import import_documents
from gongkai.catalogue.models import Document, IndexNumberScheme
from gongkai.catalogue.services import DocumentFields, document_create, document_publish
from gongkai.catalogue.tests.factories import make_agency, make_import
from gongkai.core.jsonl import ImportFailed
from gongkai.core.tests.helpers import ensure_taxonomy
from gongkai.search.services import SearchQuery, search_documents

pytestmark = pytest.mark.django_db(transaction=True)

REAL_INDEX_NUMBERS = [
    "11341702486344515H/202110-00013",  # credit code / year+month - sequence
    "6107280000/2024-001005",  # region code, 6-digit sequence
    "dqxs/2021-00016",  # a site prefix
    "014289810/2025-00013",
]


@pytest.fixture
def agency():
    ensure_taxonomy()
    return make_agency("黄山市徽州区人民政府", code="11341702486344515H", level=AgencyLevel.COUNTY)


def line(**fields) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


def notice(n: int = 1, **extra) -> bytes:
    return line(
        title=f"关于做好第{n}批防汛工作的通知",
        content="各乡镇人民政府：\n现就防汛工作通知如下。\n\n徽州区人民政府\n2024年3月5日",
        **extra,
    )


def errors_of(lines, agency) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_documents(lines, agency=agency)
    return [str(e) for e in failed.value.errors]


def api_document(client, index_no: str) -> dict:
    response = client.get(f"/api/v1/documents/{index_no}")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def page(client, index_no: str) -> str:
    response = client.get(f"/documents/{index_no}/")
    assert response.status_code == 200
    return response.content.decode()


def test_published_index_numbers_round_trip_verbatim(client, agency):
    lines = [notice(i, index_no=number) for i, number in enumerate(REAL_INDEX_NUMBERS)]
    assert import_documents(lines, agency=agency).imported == 4
    for number in REAL_INDEX_NUMBERS:
        assert Document.objects.get(index_no=number).agency == agency
        assert api_document(client, number)["index_no"] == number
        assert number in page(client, number)


def test_a_clashing_index_number_is_a_line_error_and_nothing_is_imported(agency):
    other = make_agency("徽州区教育局", level=AgencyLevel.DEPARTMENT, parent=agency)
    import_documents([notice(1, index_no="dqxs/2021-00016")], agency=other)
    before = Document.objects.count()
    errors = errors_of([notice(2), notice(3, index_no="dqxs/2021-00016")], agency)
    assert errors == ["line 2: index number 'dqxs/2021-00016' is already used by another document"]
    assert Document.objects.count() == before
    # The same number twice in one file.
    errors = errors_of([notice(4, index_no="dqxs/2021-00017"), notice(5, index_no="dqxs/2021-00017")], agency)
    assert errors == ["line 2: index number 'dqxs/2021-00017' is already used on line 1"]
    assert errors_of([notice(6, index_no="含 空格")], agency)[0].startswith(
        "line 1: index number '含 空格' is not valid"
    )
    assert Document.objects.count() == before


def test_re_importing_a_document_keeps_its_index_number(agency):
    import_documents(
        [notice(1, index_no="dqxs/2021-00016", url="https://www.example.gov.cn/1.html")], agency=agency
    )
    result = import_documents(
        [notice(1, index_no="dqxs/2021-00016", url="https://www.example.gov.cn/1.html", summary="新概述")],
        agency=agency,
    )
    assert (result.imported, result.updated) == (0, 1)
    assert errors_of(
        [notice(1, index_no="dqxs/2021-00099", url="https://www.example.gov.cn/1.html")], agency
    ) == ["line 1: 索引号不可更改：该文件的索引号是 dqxs/2021-00016。"]


def test_new_numbers_follow_the_agencys_format_after_the_highest_imported_one(agency):
    IndexNumberScheme.objects.create(agency=agency, pattern="{code}/{year}{month}-{seq:5}")
    import_documents(
        [notice(1, index_no="11341702486344515H/202110-00013", written_on="2021-10-08"),
         notice(2, index_no="11341702486344515H/202110-00011", written_on="2021-10-09")],
        agency=agency,
    )  # fmt: skip
    draft = document_create(
        agency=agency,
        fields=DocumentFields(title="关于新文件的通知", written_on=date(2021, 10, 20), body="正文"),
        imported=(run := make_import(agency)),
    )
    assert document_publish(document=draft, imported=run).index_no == "11341702486344515H/202110-00014"
    # Imported through the batch path too, without a number of its own: the next one.
    import_documents([notice(3, written_on="2021-10-21")], agency=agency)
    assert Document.objects.filter(index_no="11341702486344515H/202110-00015").exists()
    # Another month is another period.
    import_documents([notice(4, written_on="2021-11-02")], agency=agency)
    assert Document.objects.filter(index_no="11341702486344515H/202111-00001").exists()


def test_region_and_prefix_formats(agency):
    IndexNumberScheme.objects.create(agency=agency, pattern="{region}/{year}-{seq:6}", region="6107280000")
    import_documents([notice(1, index_no="6107280000/2024-001005")], agency=agency)
    import_documents([notice(2, written_on="2024-05-01")], agency=agency)
    assert Document.objects.filter(index_no="6107280000/2024-001006").exists()
    scheme = IndexNumberScheme(agency=agency, pattern="{prefix}/{year}-{seq:5}", prefix="")
    with pytest.raises(Exception, match="前缀"):
        scheme.full_clean()


def test_joint_issuers_and_the_normative_number_round_trip(client, agency):
    finance = make_agency("黄山市徽州区财政局", level=AgencyLevel.DEPARTMENT, parent=agency)
    import_documents(
        [notice(1, index_no="dqxs/2023-00001", issuers=["黄山市徽州区财政局", agency.code],
                normative_no="HHCR-2023-01005")],
        agency=agency,
    )  # fmt: skip
    body = api_document(client, "dqxs/2023-00001")
    assert [i["code"] for i in body["issuers"]] == [finance.code, agency.code]  # lead first
    assert body["normative_no"] == "HHCR-2023-01005"
    html = page(client, "dqxs/2023-00001")
    cell = html[html.index('class="issuers"') :]
    cell = cell[: cell.index("</td>")]
    assert cell.index("黄山市徽州区财政局") < cell.index("黄山市徽州区人民政府") and "联合发文" in cell
    assert "HHCR-2023-01005" in html and "规范性文件登记号" in html
    found = search_documents(SearchQuery(q="HHCR-2023-01005"))
    assert [h.document.index_no for h in found.hits] == ["dqxs/2023-00001"]


def test_an_unknown_issuer_is_a_line_error(agency):
    assert errors_of([notice(1), notice(2, issuers=["不存在的机关"])], agency) == [
        "line 2: unknown issuer '不存在的机关' (not in the agency directory: import it first or give its code)"
    ]
    assert not Document.objects.exists()


def test_a_year_only_document_keeps_its_year(client, agency):
    import_documents(
        [line(title="关于印发年度工作要点的通知", content="各单位：现印发年度工作要点。", written_on="2023",
              published_on="2023", index_no="dqxs/2023-00002")],
        agency=agency,
    )  # fmt: skip
    doc = Document.objects.get(index_no="dqxs/2023-00002")
    assert (doc.written_on_precision, doc.published_on_precision) == ("year", "year")
    body = api_document(client, "dqxs/2023-00002")
    assert (body["written_on"], body["published_on"]) == ("2023", "2023")
    html = page(client, "dqxs/2023-00002")
    assert "2023年</td>" in html and "2023年1月1日" not in html
    found = search_documents(SearchQuery(q="年度工作要点"))
    assert [f.value for f in found.facets["year"]] == ["2023"]
    assert client.get("/api/v1/documents", {"q": "年度工作要点"}).json()["results"][0]["written_on"] == "2023"
    results = client.get("/search/", {"q": "年度工作要点"}).content.decode()
    assert '<time datetime="2023">2023</time>' in results and "2023-01-01" not in results
    # A month.
    import_documents([notice(1, written_on="2023-05", index_no="dqxs/2023-00003")], agency=agency)
    assert api_document(client, "dqxs/2023-00003")["written_on"] == "2023-05"
    assert "2023年5月</td>" in page(client, "dqxs/2023-00003")


def test_written_on_comes_from_the_signature_date_else_the_publication_date(agency):
    import_documents([notice(1, published_on="2024-03-08")], agency=agency)
    doc = Document.objects.get()
    assert (doc.written_on, doc.written_on_precision, doc.published_on) == (
        date(2024, 3, 5),
        "day",
        date(2024, 3, 8),
    )
    import_documents(
        [line(title="无落款的通知", content="各单位：特此通知。", published_on="2024-04")], agency=agency
    )
    doc = Document.objects.get(title="无落款的通知")
    assert (doc.written_on, doc.written_on_precision) == (date(2024, 4, 1), "month")
    chinese = "各单位：\n特此通知。\n\n浙江省人民政府办公厅\n二〇二二年六月十日"
    import_documents([line(title="中文数字落款", content=chinese)], agency=agency)
    assert Document.objects.get(title="中文数字落款").written_on == date(2022, 6, 10)


def test_impossible_and_contradictory_dates_are_line_errors(agency):
    errors = errors_of(
        [notice(1), notice(2, written_on="2023-02-30"), notice(3, written_on="2023-05-01", year=2022),
         notice(4, written_on="2023-05", published_on="2023-04-30"), notice(5, written_on="23")],
        agency,
    )  # fmt: skip
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 4", "line 5"]
    assert "no such day" in errors[0] and "contradicts" in errors[1] and "before" in errors[2]
    assert not Document.objects.exists()


FORWARDING = """关于转发《浙江省人民政府办公厅关于进一步加强政务公开工作的通知》的通知
镇政发[2024]7号
各村（居）委会、镇属各单位：
现将《浙江省人民政府办公厅关于进一步加强政务公开工作的通知》（浙政办发〔2022〕59号）转发给你们，请认真贯彻执行。

某某镇人民政府
2024年3月5日"""


def test_the_document_number_comes_only_from_the_documents_own_header(client, agency):
    import_documents(
        [line(title="转发通知", content=FORWARDING, index_no="dqxs/2024-00007"),
         line(title="只引用了文号的通知", content=FORWARDING.replace("镇政发[2024]7号\n", ""),
              index_no="dqxs/2024-00008")],
        agency=agency,
    )  # fmt: skip
    assert Document.objects.get(index_no="dqxs/2024-00007").doc_no == "镇政发〔2024〕7号"
    assert Document.objects.get(index_no="dqxs/2024-00008").doc_no == ""  # never 浙政办发〔2022〕59号


def test_document_numbers_are_normalised_keeping_the_original(client, agency):
    import_documents([notice(1, doc_no="镇政发[2023]16号", index_no="dqxs/2023-00016")], agency=agency)
    doc = Document.objects.get(index_no="dqxs/2023-00016")
    assert (doc.doc_no, doc.doc_no_original) == ("镇政发〔2023〕16号", "镇政发[2023]16号")
    body = api_document(client, "dqxs/2023-00016")
    assert (body["doc_no"], body["doc_no_original"]) == ("镇政发〔2023〕16号", "镇政发[2023]16号")
    assert "镇政发〔2023〕16号" in page(client, "dqxs/2023-00016")
    # A re-import that does not name the number keeps it, and its original.
    import_documents([notice(1, index_no="dqxs/2023-00016", summary="概述")], agency=agency)
    doc.refresh_from_db()
    assert (doc.doc_no, doc.doc_no_original, doc.summary) == (
        "镇政发〔2023〕16号",
        "镇政发[2023]16号",
        "概述",
    )
    for query in ("镇政发〔2023〕16号", "镇政发[2023]16号", "镇政发2023年16号", "镇政发〔2023〕第16号"):
        assert [h.document.pk for h in search_documents(SearchQuery(q=query)).hits] == [doc.pk], query


def test_traditional_and_simplified_characters_find_each_other(agency):
    import_documents(
        [line(title="關於政府信息公開信息處理費的通知", content="依據國辦函〔2020〕109號執行。\n\n某局\n2020年12月1日",
              index_no="dqxs/2020-00109")],
        agency=agency,
    )  # fmt: skip
    found = search_documents(SearchQuery(q="政府信息公开信息处理费"))
    assert found.count == 1
    assert "<mark>政府信息公開信息處理費</mark>" in str(found.hits[0].title_html)  # the original text, marked
    found = search_documents(SearchQuery(q="国办函〔2020〕109号"))
    assert found.count == 1 and "<mark>國辦函〔2020〕109號</mark>" in str(found.hits[0].highlight)
