import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from gongkai.agencies.models import AgencyLevel
from gongkai.catalogue.importing import import_documents
from gongkai.catalogue.models import Document, Genre, Subject, Validity, Visibility
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.jsonl import ImportFailed
from gongkai.core.models import AuditEvent
from gongkai.core.tests.helpers import CORPUS_SIZE, STATE_COUNCIL, corpus_lines, ensure_taxonomy, write_corpus
from gongkai.search import engine
from gongkai.search.models import PendingChange
from gongkai.search.services import SearchQuery, search_documents


@pytest.fixture
def agency(db):
    ensure_taxonomy()
    return make_agency("国务院", code=STATE_COUNCIL, level=AgencyLevel.PROVINCE)


def line(**fields) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


def notice(**extra) -> bytes:
    return line(
        **{
            "title": "江州市人民政府关于做好防汛工作的通知",
            "content": "各区县：现就防汛工作通知如下。",
            **extra,
        }
    )


def errors_of(lines, agency) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_documents(lines, agency=agency)
    return [str(e) for e in failed.value.errors]


@pytest.mark.django_db(transaction=True)
def test_the_real_corpus_is_imported_published_and_searchable(agency):
    result = import_documents(corpus_lines(), agency=agency)
    assert (result.imported, result.updated) == (CORPUS_SIZE, 0)
    docs = Document.objects.filter(agency=agency)
    assert docs.count() == CORPUS_SIZE
    assert (
        docs.filter(visibility=Visibility.PUBLIC, index_no__startswith=f"{STATE_COUNCIL}/").count()
        == CORPUS_SIZE
    )
    assert not PendingChange.objects.exists()  # the index was brought up to date after the commit
    found = search_documents(SearchQuery(q="人民公社", page_size=100))
    assert found.count > 0
    assert all("人民公社" in h.document.body for h in found.hits)
    assert search_documents(SearchQuery(q="政府工作报告", year=2024)).count == 2


@pytest.mark.django_db(transaction=True)
def test_corpus_dates_come_from_the_text_or_the_year(agency):
    import_documents(corpus_lines(), agency=agency)
    report_2024 = Document.objects.get(title="2024年中华人民共和国国务院政府工作报告")
    assert (report_2024.written_on, report_2024.written_on_precision) == (date(2024, 3, 5), "day")
    assert report_2024.published_on == date(2024, 3, 5)
    assert report_2024.genre.name == "报告"
    # No date in the text; the year field is a string in the corpus.
    report_2019 = Document.objects.get(title="2019年中华人民共和国国务院政府工作报告")
    assert (report_2019.written_on, report_2019.written_on_precision) == (date(2019, 1, 1), "year")
    # NPC resolutions carry no year: it comes from the session named in the title.
    resolution = Document.objects.get(title="第十四届全国人民代表大会第三次会议关于政府工作报告的决议")
    assert (resolution.written_on, resolution.written_on_precision) == (date(2025, 1, 1), "year")
    assert resolution.genre.name == "决议"
    adopted = Document.objects.get(title="第十三届全国人民代表大会第三次会议关于政府工作报告的决议")
    assert adopted.written_on == date(2020, 5, 28)


@pytest.mark.django_db(transaction=True)
def test_reimporting_the_corpus_updates_and_adds_nothing(agency):
    import_documents(corpus_lines(), agency=agency)
    events = AuditEvent.objects.count()
    result = import_documents(corpus_lines(), agency=agency)
    assert (result.imported, result.updated, result.unchanged) == (0, CORPUS_SIZE, CORPUS_SIZE)
    assert Document.objects.count() == CORPUS_SIZE
    # Only the run itself is recorded (who, when, which file); no document changed.
    assert AuditEvent.objects.order_by("-id").first().action == "document_import"
    assert AuditEvent.objects.count() == events + 1


@pytest.mark.django_db(transaction=True)
def test_a_bulk_import_writes_the_search_index_once(agency, monkeypatch):
    opened = []
    real_writer = engine.writer

    def counting_writer(*args, **kwargs):
        opened.append(1)
        return real_writer(*args, **kwargs)

    monkeypatch.setattr(engine, "writer", counting_writer)
    import_documents(corpus_lines()[:20], agency=agency)
    assert len(opened) == 1
    assert search_documents(SearchQuery(q="政府工作报告")).count == 20


def test_a_malformed_line_is_reported_by_number_and_nothing_is_imported(agency):
    lines = corpus_lines()[:5]
    lines[3] = lines[3][:200]  # truncated JSON
    errors = errors_of(lines, agency)
    assert len(errors) == 1 and errors[0].startswith("line 4: not valid JSON")
    assert not Document.objects.exists() and not AuditEvent.objects.exists()


def test_an_unknown_subject_or_genre_is_a_line_error(agency):
    lines = [
        notice(subject="综合政务", year=2024),
        notice(title="另一份通知", subject="不存在的分类", genre="诗歌", year=2024),
    ]
    assert errors_of(lines, agency) == [
        "line 2: unknown subject '不存在的分类'",
        "line 2: unknown genre '诗歌'",
    ]
    assert not Document.objects.exists()


def test_subject_is_found_at_either_level(agency):
    top = Subject.objects.get(name="城乡建设、环境保护", parent=None)
    child, _ = Subject.objects.get_or_create(name="环境监测、保护与治理", parent=top)
    import_documents(
        [
            notice(subject="环境监测、保护与治理", year=2024),
            notice(title="第二份通知", subject="城乡建设、环境保护", year=2024),
        ],
        agency=agency,
    )
    assert Document.objects.get(title="第二份通知").subject == top
    assert Document.objects.exclude(title="第二份通知").get().subject == child


def test_a_line_without_any_date_is_an_error(agency):
    assert errors_of([notice()], agency) == [
        "line 1: no date: give 'written_on' (YYYY, YYYY-MM or YYYY-MM-DD), 'published_on' or 'year'; "
        "the text has no signature date"
    ]


def test_missing_title_and_bad_values_are_each_reported(agency):
    lines = [
        line(content="正文", year=2024),
        notice(written_on="2024-02-30"),
        notice(year="二〇二四"),
        notice(year=2024, validity="作废"),
        notice(year=2024, url="not a url"),
        notice(year=2024, publisher="国务院"),
    ]
    errors = errors_of(lines, agency)
    assert "line 1: missing field 'title'" in errors
    assert any(e.startswith("line 2: field 'written_on': '2024-02-30' is not a date") for e in errors)
    assert any(e.startswith("line 3: field 'year'") for e in errors)
    assert any(e.startswith("line 4: unknown validity '作废'") for e in errors)
    assert any(e.startswith("line 5: field 'url'") for e in errors)
    assert any(e.startswith("line 6: unknown field 'publisher'") for e in errors)


def test_given_metadata_is_kept_and_chinese_validity_labels_are_understood(agency):
    import_documents(
        [
            notice(
                doc_no="江府发〔2024〕3号",
                subject="综合政务",
                genre="通知",
                written_on="2024年3月5日",
                published_on="2024-03-08",
                validity="失效",
                summary="防汛工作安排",
                url="https://www.example.gov.cn/a/1.html",
            )
        ],
        agency=agency,
    )
    doc = Document.objects.get()
    assert (doc.doc_no, doc.subject.name, doc.genre.name) == ("江府发〔2024〕3号", "综合政务", "通知")
    assert (doc.written_on, doc.published_on) == (date(2024, 3, 5), date(2024, 3, 8))
    assert doc.validity == Validity.EXPIRED and doc.summary == "防汛工作安排"
    assert doc.index_no == f"{STATE_COUNCIL}/2024-00001"


def test_document_number_is_derived_from_the_text(agency):
    content = "国务院办公厅关于印发某方案的通知\n国办发〔2019〕14号\n各省、自治区、直辖市人民政府："
    import_documents(
        [line(title="国务院办公厅关于印发某方案的通知", content=content, year=2019)], agency=agency
    )
    doc = Document.objects.get()
    assert doc.doc_no == "国办发〔2019〕14号" and doc.genre.name == "通知"


def test_same_title_and_date_updates_instead_of_duplicating(agency):
    import_documents([notice(written_on="2024-06-01")], agency=agency)
    result = import_documents([notice(written_on="2024-06-01", summary="新增概述")], agency=agency)
    assert (result.imported, result.updated) == (0, 1)
    assert Document.objects.get().summary == "新增概述"


def test_same_url_updates_even_when_the_title_changed(agency):
    url = "https://www.example.gov.cn/a/2.html"
    import_documents([notice(written_on="2024-06-01", url=url)], agency=agency)
    import_documents([notice(written_on="2024-06-01", url=url, title="更正后的标题")], agency=agency)
    assert list(Document.objects.values_list("title", flat=True)) == ["更正后的标题"]
    assert AuditEvent.objects.filter(action="document_update").count() == 1


def test_reimport_keeps_what_an_earlier_import_set_when_the_line_is_silent(agency):
    # Imported documents are not edited outside a review (docs/security.md, section 1), so what
    # a document already has comes from an earlier import.
    subject = Subject.objects.get(name="综合政务")
    import_documents([notice(written_on="2024-06-01", subject="综合政务")], agency=agency)
    import_documents([notice(written_on="2024-06-01")], agency=agency)
    assert Document.objects.get().subject == subject


def test_a_withdrawn_document_stays_withdrawn_on_reimport(agency):
    import_documents([notice(written_on="2024-06-01")], agency=agency)
    Document.objects.update(visibility=Visibility.WITHDRAWN)
    import_documents([notice(written_on="2024-06-01")], agency=agency)
    assert Document.objects.get().visibility == Visibility.WITHDRAWN


def test_the_same_document_twice_in_one_file_is_an_error(agency):
    errors = errors_of([notice(year=2024), notice(year=2024)], agency)
    assert errors == ["line 2: the same document as line 1 (same url, or same title and date)"]


def test_dry_run_reports_counts_and_writes_nothing(agency):
    result = import_documents(corpus_lines()[:4], agency=agency, dry_run=True)
    assert result.imported == 4
    assert not Document.objects.exists() and not AuditEvent.objects.exists()
    assert not PendingChange.objects.exists()


def test_genre_is_not_derived_when_it_is_not_in_the_list(agency):
    Genre.objects.filter(name="通知").delete()
    import_documents([notice(year=2024)], agency=agency)
    assert Document.objects.get().genre is None


@pytest.mark.django_db(transaction=True)
def test_command_prints_the_counts_as_json(agency, tmp_path):
    path = write_corpus(tmp_path / "corpus.jsonl", lines=6)
    out = io.StringIO()
    call_command("import_documents", str(path), "--agency", STATE_COUNCIL, "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"imported": 6, "updated": 0}
    out = io.StringIO()
    call_command("import_documents", str(path), "--agency", STATE_COUNCIL, "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"imported": 0, "updated": 6}


def test_command_dry_run_writes_nothing(agency, tmp_path):
    path = write_corpus(tmp_path / "corpus.jsonl", lines=3)
    out = io.StringIO()
    call_command("import_documents", str(path), "--agency", STATE_COUNCIL, "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"imported": 3, "updated": 0}
    assert not Document.objects.exists()


def test_command_refuses_an_unknown_agency(agency, tmp_path):
    path = write_corpus(tmp_path / "corpus.jsonl", lines=1)
    with pytest.raises(CommandError, match="no agency with code '999999999'"):
        call_command("import_documents", str(path), "--agency", "999999999")


def test_command_lists_line_errors_on_stderr(agency, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(notice(year=2024) + b"\n" + notice(title="x", subject="无此分类", year=2024) + b"\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_documents", str(path), "--agency", STATE_COUNCIL, stderr=err)
    assert err.getvalue() == "line 2: unknown subject '无此分类'\n"
    assert not Document.objects.exists()
