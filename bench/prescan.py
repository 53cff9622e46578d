"""`python -m bench prescan`: the pre-scan's precision and recall per kind on whole documents in
the forms agencies publish, and its throughput on them.

The documents are those of ``gongkai.core.tests.scan_documents`` (notices, penalty decisions,
tenders and awards, lists, contact notices; every piece of personal data labelled, the agencies'
own contact details and companies' credit codes not). They are scanned twice: with the agency
directory's contact details passed as known values, as publication scans them, and without,
to show the false alarms the directory removes. Throughput is UTF-8 MB of text a second on one
core, scanned document by document with the directory (the median of ``--runs``; also by the
process's CPU time, which a busy machine disturbs less than the wall clock).
"""

import argparse
import json
import os
import time

from .measure import median


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench prescan", description=__doc__)
    p.add_argument("--documents", type=int, default=2000, help="documents in the corpus (default 2000)")
    p.add_argument("--seed", type=int, default=None, help="corpus seed (default: the tests' seed)")
    p.add_argument("--runs", type=int, default=5, help="timed runs (default 5)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p.parse_args(argv)


def _figures(score, kinds) -> dict:
    return {
        kind.value: {
            "labels": score.tp[kind] + score.fn[kind],
            "found": score.tp[kind] + score.fp[kind],
            "precision": round(score.precision(kind), 4),
            "recall": round(score.recall(kind), 4),
        }
        for kind in kinds
    }


def main(argv=None) -> dict:
    args = parse_args(argv)
    from gongkai.core.scan import Kind, scan_text
    from gongkai.core.tests import scan_documents

    seed = scan_documents.SEED if args.seed is None else args.seed
    corpus = scan_documents.build(args.documents, seed)
    known = scan_documents.known_values()
    texts = [case["text"] for case in corpus]
    mb = sum(len(t.encode()) for t in texts) / 1e6

    with_directory = scan_documents.evaluate(corpus, known=known)
    without = scan_documents.evaluate(corpus, known=None)
    found_with = sum(with_directory.tp.values()) + sum(with_directory.fp.values())
    found_without = sum(without.tp.values()) + sum(without.fp.values())

    for text in texts:  # warm the prepared directory and the regex caches
        scan_text(text, known=known)
    times, cpu_times = [], []
    for _ in range(args.runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        for text in texts:
            scan_text(text, known=known)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)

    families: dict[str, int] = {}
    for case in corpus:
        families[case["family"]] = families.get(case["family"], 0) + 1
    report = {
        "documents": len(corpus),
        "families": families,
        "text_mb": round(mb, 3),
        "seed": seed,
        "with_directory": _figures(with_directory, Kind),
        "without_directory": _figures(without, Kind),
        "findings_with_directory": found_with,
        "findings_without_directory": found_without,
        "false_alarms_with_directory": sum(with_directory.fp.values()),
        "false_alarms_without_directory": sum(without.fp.values()),
        "throughput": {
            "median_mb_s": round(mb / median(times), 1),
            "best_mb_s": round(mb / min(times), 1),
            # CPU time of this process: what the scan costs when other work shares the machine.
            "cpu_median_mb_s": round(mb / median(cpu_times), 1),
            "runs": args.runs,
        },
        "misses": [m[:4] for m in with_directory.misses][:50],
        "machine": {"cpus": os.cpu_count(), "load": list(os.getloadavg())},
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report)
    return report


def _print(report: dict) -> None:
    print(
        f"pre-scan on {report['documents']} documents ({report['text_mb']} MB; "
        + ", ".join(f"{k} {n}" for k, n in report["families"].items())
        + ")"
    )
    print(
        f"{'kind':<14}{'labels':>7}{'found':>7}{'precision':>11}{'recall':>8}   without the directory: precision"
    )
    for kind, row in report["with_directory"].items():
        blind = report["without_directory"][kind]
        print(
            f"{kind:<14}{row['labels']:>7}{row['found']:>7}{row['precision']:>11.3f}{row['recall']:>8.3f}"
            f"   {blind['precision']:.3f} ({blind['found']} found)"
        )
    print(
        f"findings: {report['findings_with_directory']} with the directory, "
        f"{report['findings_without_directory']} without; false alarms "
        f"{report['false_alarms_with_directory']} / {report['false_alarms_without_directory']}"
    )
    t = report["throughput"]
    print(
        f"throughput, one core, document by document: median {t['median_mb_s']} MB/s, best {t['best_mb_s']} MB/s"
        f" (CPU time: {t['cpu_median_mb_s']} MB/s)"
    )
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in report['machine']['load'])}")
