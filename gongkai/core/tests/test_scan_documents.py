"""The pre-scan's precision and recall per kind on whole documents in the forms agencies
publish (scan_documents.py: notices, penalty decisions, tenders and awards, lists), with the
agency directory's contact details passed as known values (issue 17)."""

import json

import pytest

from gongkai.core.scan import Kind, scan_text
from gongkai.core.tests import scan_documents
from gongkai.core.tests.scan_documents import DIRECTORY, build, evaluate, known_values

FLOOR = 0.95
# Kinds the corpus labels; the others (passports, secrecy marks) must simply not fire.
LABELLED = (
    Kind.ID_NUMBER,
    Kind.BANK_CARD,
    Kind.MOBILE,
    Kind.LANDLINE,
    Kind.EMAIL,
    Kind.ADDRESS,
    Kind.PERSON_NAME,
)


@pytest.fixture(scope="module")
def corpus():
    return build()


@pytest.fixture(scope="module")
def score(corpus):
    return evaluate(corpus, known=known_values())


def test_the_corpus_is_whole_documents_of_every_family_and_the_same_each_time(corpus):
    assert corpus == build()
    families = {case["family"] for case in corpus}
    assert families == {"notice", "decision", "tender", "list", "contacts"}
    labels = [label["kind"] for case in corpus for label in case["expected"]]
    assert all(labels.count(kind.value) >= 15 for kind in LABELLED), {k: labels.count(k) for k in set(labels)}
    assert sum(len(case["text"]) for case in corpus) > 150_000
    # Every document carries its agency's own contacts, which are not labelled.
    for case in corpus:
        assert any(
            phone in case["text"] or phone.replace("-", "）") in case["text"] for _, phone, *_ in DIRECTORY
        )


@pytest.mark.parametrize("kind", LABELLED, ids=lambda k: k.value)
def test_precision_and_recall_per_kind_are_at_least_the_floor(score, kind):
    print(f"\n{score.table()}")
    misses = [m[:4] for m in score.misses if m[2] == kind.value]
    assert score.precision(kind) >= FLOOR, misses[:10]
    assert score.recall(kind) >= FLOOR, misses[:10]


def test_nothing_public_is_reported(score):
    # Companies' credit codes (one or more in most documents) are not findings; nor are
    # passports or secrecy marks, which these documents do not hold.
    assert score.fp[Kind.USCC] == score.fp[Kind.PASSPORT] == score.fp[Kind.SECRECY_MARK] == 0


def test_without_the_directory_the_agencies_own_contacts_are_false_alarms(corpus, score):
    """What the known values are for: without them, every document's contact block is flagged."""
    blind = evaluate(corpus, known=None)
    assert blind.fp[Kind.LANDLINE] >= len(corpus) // 2 > score.fp[Kind.LANDLINE]
    assert blind.precision(Kind.LANDLINE) < 0.6 <= FLOOR <= score.precision(Kind.LANDLINE)
    assert blind.fp[Kind.EMAIL] > 0 == score.fp[Kind.EMAIL]
    assert blind.fp[Kind.ADDRESS] > 0 == score.fp[Kind.ADDRESS]


def test_the_script_prints_the_table(capsys, monkeypatch):
    monkeypatch.setattr(scan_documents, "build", lambda: build(20))
    scan_documents.report()
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["kind", "labels", "found", "tp", "precision", "recall"]


def test_a_known_value_hides_only_itself():
    known = frozenset({"0792-8221234", "jzscjg@jiangzhou.gov.cn", "江西省江州市浔阳区长虹大道88号"})
    text = (
        "监督电话：（0792）8221234、8221234转801，邮箱：JZSCJG@jiangzhou.gov.cn，地址：浔阳区长虹大道88号三楼。"
        "举报人电话：0792-8221235，住址：江州市浔阳区长虹大道88号2栋301室。"
    )
    assert [(f.kind.value, f.text) for f in scan_text(text, known=known)] == [
        ("landline", "0792-8221235"),
        ("address", "江州市浔阳区长虹大道88号2栋301室"),
    ]


def test_the_benchmark_reports_precision_recall_and_throughput(capsys):
    from bench import prescan

    report = prescan.main(["--documents", "50", "--runs", "1", "--json"])
    assert report["with_directory"]["id_number"]["recall"] == 1.0
    assert report["false_alarms_without_directory"] > report["false_alarms_with_directory"]
    printed = json.loads(capsys.readouterr().out)
    assert printed["throughput"]["median_mb_s"] > 0 and printed["documents"] == 50


def test_the_same_street_and_number_in_another_city_is_not_the_agencys_address():
    known = frozenset({"江西省江州市浔阳区人民路88号"})
    assert scan_text("地址：浔阳区人民路88号二楼", known=known) == []
    assert scan_text("地址：江州市人民路88号", known=known) == []
    (finding,) = scan_text("住址：湖北省武汉市武昌区人民路88号", known=known)
    assert finding.kind is Kind.ADDRESS
