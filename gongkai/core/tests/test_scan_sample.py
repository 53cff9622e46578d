"""The pre-scan against its labelled sample (make_scan_sample.py) and the real corpus."""

import json
from collections import Counter

import pytest

from gongkai.core.scan import Kind, scan_text
from gongkai.core.tests import make_scan_sample
from gongkai.core.tests.helpers import corpus_lines
from gongkai.core.tests.make_scan_sample import OUT as SAMPLE
from gongkai.core.tests.make_scan_sample import evaluate, load_sample

# The kinds with a checksum or a fixed form: the issue asks for 0.99 precision and recall.
ASSERTED = (Kind.ID_NUMBER, Kind.USCC, Kind.BANK_CARD, Kind.MOBILE, Kind.EMAIL, Kind.SECRECY_MARK)
# The list of things the scan must not fire on, as tags of the sample's negatives.
HARD_NEGATIVES = (
    "doc_no",
    "date",
    "amount",
    "statistic",
    "index_no",
    "long_digit_run",
    "year",
    "isbn",
    "postcode",
    "uscc_bad",
    "id_bad_check",
    "id_bad_date",
    "secrecy_words",
)


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def score(sample):
    return evaluate(sample)


def test_the_committed_sample_is_what_the_generator_writes():
    assert SAMPLE.read_text(encoding="utf-8") == make_scan_sample.render(make_scan_sample.build())


def test_the_sample_is_large_and_holds_every_kind_of_hard_negative(sample):
    assert len(sample) >= 500
    tags = Counter(case["tag"] for case in sample)
    assert all(tags[tag] >= 20 for tag in HARD_NEGATIVES), tags
    labelled = Counter(label["kind"] for case in sample for label in case["expected"])
    assert all(labelled[kind] >= 50 for kind in Kind), labelled


@pytest.mark.parametrize("kind", ASSERTED, ids=lambda k: k.value)
def test_precision_and_recall_are_at_least_99_percent(score, kind):
    print(f"\n{score.table()}")  # the other kinds' figures are reported here, not asserted
    misses = [m for m in score.misses if m[2] == kind.value]
    assert score.precision(kind) >= 0.99, misses[:10]
    assert score.recall(kind) >= 0.99, misses[:10]


def test_hard_negatives_raise_no_finding(sample):
    fired = [
        (case["tag"], f.kind.value, f.text)
        for case in sample
        if case["tag"] in HARD_NEGATIVES
        for f in scan_text(case["text"])
    ]
    assert fired == []


def test_the_real_government_work_reports_raise_no_finding():
    """72 real documents, 3 MB of numbers, statistics, 内部 and 秘密 in prose: nothing to report."""
    findings = [
        (f.kind.value, f.excerpt) for line in corpus_lines() for f in scan_text(json.loads(line)["content"])
    ]
    assert findings == []


def test_the_benchmark_finds_every_value_it_inserts(capsys):
    from bench import scan_bench

    report = scan_bench.main(["--runs", "1", "--json"])
    assert report["missed"] == {} and report["found"] == report["inserted"]
    assert json.loads(capsys.readouterr().out)["whole_text"]["median_mb_s"] > 0
