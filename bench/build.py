"""Index build: synthetic text to a committed tantivy index, through the product's code."""

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gongkai.search import engine, tokenize
from gongkai.search.tokenize import index_text

from . import synth
from .measure import dir_size_mib, median, peak_rss_mib, reset_peak_rss

if os.environ.get("GONGKAI_BENCH_NO_T2S"):
    # `python -m bench --no-t2s`: the baseline without OpenCC's conversion, to measure its cost.
    tokenize.to_simplified = lambda text: text


def document_fields(doc: synth.SynthDocument) -> dict:
    """Index fields of a synthetic document, as gongkai.search.indexer.document_fields makes
    them from a Document (no summary, keywords or attachments; top-level subject only)."""
    return {
        "id": doc.id,
        "title": index_text(doc.title, doc.doc_no),
        "body": index_text("", "", doc.body, ""),
        "agency": doc.agency,
        "subject": doc.subject,
        "subject2": None,
        "genre": doc.genre,
        "validity": doc.validity,
        "year": int(doc.written_on[:4]),
        "published": int(date.fromisoformat(doc.published_on).strftime("%Y%m%d")),
    }


@dataclass
class TokeniseStats:
    docs: int
    mb: float  # MB (10^6 bytes) of UTF-8 text: title, document number and body
    seconds: float  # median wall time of the passes
    cpu_seconds: float  # median CPU time of the passes
    passes: int

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.seconds

    @property
    def cpu_mb_per_s(self) -> float:
        return self.mb / self.cpu_seconds

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds


def measure_tokenise(corpus: Path, limit: int, passes: int = 3) -> TokeniseStats:
    """index_text alone over the first ``limit`` documents (read beforehand, not timed), as
    the build calls it; the median of ``passes`` passes."""
    docs = []
    for doc in synth.read_corpus(corpus):
        docs.append(doc)
        if len(docs) >= limit:
            break
    size = sum(len(d.title.encode()) + len(d.doc_no.encode()) + len(d.body.encode()) for d in docs)
    wall, cpu = [], []
    for _ in range(passes):
        cpu_start, start = time.process_time(), time.perf_counter()
        for d in docs:
            index_text(d.title, d.doc_no)
            index_text("", "", d.body, "")
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return TokeniseStats(len(docs), size / 1e6, median(wall), median(cpu), passes)


@dataclass
class BuildStats:
    docs: int
    seconds: float  # read + tokenise + add_document + commit + merges
    commit_seconds: float  # of which: commit and waiting for merges
    cpu_seconds: float  # CPU of the process, all threads (tantivy's writer threads included)
    heap_mb: int
    threads: int
    peak_rss_mib: float
    segments: int
    index_mib: float

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds


def build_index(corpus: Path, search_dir: Path, *, heap_mb: int, threads: int, progress=None) -> BuildStats:
    """Index every document of ``corpus`` into ``search_dir`` in one commit, with the
    product's writer (gongkai.search.engine.writer) and documents (engine.make_document)."""
    reset_peak_rss()
    n = 0
    cpu_start, start = time.process_time(), time.perf_counter()
    with engine.writer(search_dir, heap_bytes=heap_mb * 1_000_000, threads=threads, wait_s=60) as w:
        w.delete_all_documents()
        for doc in synth.read_corpus(corpus):
            w.add_document(engine.make_document(document_fields(doc)))
            n += 1
            if progress and n % 10_000 == 0:
                progress(n)
        commit_start = time.perf_counter()
    seconds = time.perf_counter() - start
    idx = engine.open_index(search_dir)
    return BuildStats(
        docs=n,
        seconds=seconds,
        commit_seconds=time.perf_counter() - commit_start,
        cpu_seconds=time.process_time() - cpu_start,
        heap_mb=heap_mb,
        threads=threads,
        peak_rss_mib=peak_rss_mib(),
        segments=idx.searcher().num_segments,
        index_mib=dir_size_mib(engine.index_dir(search_dir)),
    )


def build_index_in_child(
    corpus: Path, search_dir: Path, *, heap_mb: int, threads: int, total: int
) -> BuildStats:
    """build_index in a fresh process, so that its peak RSS is the build's alone and the
    memory it leaves behind does not count against the queries timed afterwards."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_build_with_progress, corpus, search_dir, heap_mb, threads, total).result()


def _build_with_progress(
    corpus: Path, search_dir: Path, heap_mb: int, threads: int, total: int
) -> BuildStats:
    def progress(n: int) -> None:
        if n % 100_000 == 0:
            print(f"  indexed {n:,} / {total:,}", file=sys.stderr, flush=True)

    return build_index(corpus, search_dir, heap_mb=heap_mb, threads=threads, progress=progress)
