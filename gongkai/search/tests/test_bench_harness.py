"""Keeps `python -m bench` working: the whole harness on 300 documents, no timing asserted."""

import pytest

from bench import synth
from bench.runner import main

pytestmark = pytest.mark.django_db(transaction=True)


def run_bench(out, *extra):
    args = ["--docs", "300", "--queries", "2", "--warmup", "1", "--db-queries", "1", "--heap-mb", "50"]
    return main([*args, "--out", str(out), "--source", str(synth.SAMPLE_SOURCE), *extra])


def test_bench_builds_times_every_shape_and_fetches_from_the_database(tmp_path, capsys):
    report = run_bench(tmp_path, "--breakdown")

    assert report["index"]["docs"] == report["build"]["docs"] == 300
    shapes = {row["shape"]: row for row in report["shapes"]}
    common = next(
        row for name, row in shapes.items() if name.startswith("common 2-char word") and not row["filters"]
    )
    assert common["hits"] > 250  # the most common word is in nearly every document
    assert all(row["n"] == 2 and row["p95_ms"] > 0 for row in report["shapes"])
    assert len(report["breakdown"]) == len(report["shapes"])
    assert report["db"]["rows"] == 300 and len(report["db"]["search_documents"]) == len(report["shapes"])
    printed = capsys.readouterr().out
    assert "p95/target" in printed and "docs/s" in printed and "MB/s" in printed


def test_bench_reuses_an_index_of_the_same_size_and_seed(tmp_path):
    first = run_bench(tmp_path, "--no-db")
    second = run_bench(tmp_path, "--no-db")

    assert second["build"] == first["build"]
    assert [r["hits"] for r in second["shapes"]] == [r["hits"] for r in first["shapes"]]


def test_generated_documents_depend_only_on_the_seed():
    sentences = synth.load_sentences(synth.SAMPLE_SOURCE)
    a = synth.Generator(sentences, seed=3).chunk(0, 50)
    b = synth.Generator(sentences, seed=3).chunk(0, 50)
    c = synth.Generator(sentences, seed=4).chunk(0, 50)

    assert a == b and a != c
    assert all(len(d.body.encode()) >= 2048 for d in a)
