"""`python -m bench.scan_bench`: throughput of the confidentiality / privacy pre-scan.

The text is the Government Work Reports corpus (the shared copy, or the project's compressed
copy where it is absent) with a line of personal data or a secrecy mark inserted every few
kilobytes. One core: the scan runs in this process, single-threaded. Prints the median MB/s
(UTF-8 bytes of text per second) over several runs, for the corpus scanned as one text and
document by document, and checks that every inserted finding was found.
"""

import argparse
import json
import lzma
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from gongkai.core.checksums import id_number_check_char, org_code_check_char, uscc_check_char

from .measure import median, percentile

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gov_work_reports.jsonl"
PROJECT_CORPUS = (
    Path(__file__).resolve().parents[1] / "gongkai/catalogue/tests/data/gov_work_reports.jsonl.xz"
)
TARGET_MB_S = 20.0


def load_documents() -> list[str]:
    """The corpus's document bodies: the shared file, else the project's xz copy."""
    if SHARED_CORPUS.exists():
        raw = SHARED_CORPUS.read_bytes()
    else:
        raw = lzma.decompress(PROJECT_CORPUS.read_bytes())
    return [json.loads(line)["content"] for line in raw.splitlines() if line.strip()]


def _luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def _insert_lines(rng: random.Random) -> list[tuple[str, str]]:
    """(line, kind of the value in it) for one insertion of each kind."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
    id_body = "340104" + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    org = f"{rng.randrange(10**8):08d}"
    org += org_code_check_char(org)
    uscc_body = "91340100" + org
    card = _luhn_complete("622202" + "".join(rng.choice("0123456789") for _ in range(12)))
    mobile = rng.choice(("138", "139", "159", "186")) + f"{rng.randrange(10**8):08d}"
    return [
        (f"申请人身份证号码：{id_body + id_number_check_char(id_body)}。", "id_number"),
        (f"统一社会信用代码：{uscc_body + uscc_check_char(uscc_body)}", "uscc"),
        (f"开户银行：中国工商银行 账号：{card}", "bank_card"),
        (f"联系电话：{mobile}", "mobile"),
        (f"办公电话：0551-6{rng.randrange(10**6):06d}", "landline"),
        (f"电子邮箱：user{rng.randrange(1000)}@example.com", "email"),
        (rng.choice(("机密★5年", "秘密★1年", "绝密★长期", "内部资料")), "secrecy_mark"),
    ]


def build_documents(documents: list[str], *, every: int, seed: int) -> tuple[list[str], dict[str, int]]:
    """The documents with an inserted line every ``every`` characters (at a line break), and
    how many of each kind were inserted."""
    rng = random.Random(seed)
    inserted: dict[str, int] = {}
    out = []
    for doc in documents:
        parts, pos = [], 0
        while pos < len(doc):
            cut = doc.find("\n", pos + every)
            cut = len(doc) if cut == -1 else cut
            parts.append(doc[pos:cut])
            if cut < len(doc):
                line, kind = rng.choice(_insert_lines(rng))
                parts.append("\n" + line)
                inserted[kind] = inserted.get(kind, 0) + 1
            pos = cut
        out.append("".join(parts))
    return out, inserted


def _time(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.scan_bench", description=__doc__)
    p.add_argument("--runs", type=int, default=7, help="timed runs per mode (default 7)")
    p.add_argument("--every", type=int, default=3000, help="characters between inserted lines (default 3000)")
    p.add_argument("--repeat", type=int, default=1, help="scan the corpus this many times over (default 1)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    from gongkai.core.scan import scan_text

    documents, inserted = build_documents(load_documents(), every=args.every, seed=args.seed)
    documents = documents * args.repeat
    inserted = {kind: n * args.repeat for kind, n in inserted.items()}
    whole = "\n".join(documents)
    mb = len(whole.encode()) / 1e6

    found: dict[str, int] = {}
    for finding in scan_text(whole, public=True):  # credit codes too: the detector's recall
        found[finding.kind.value] = found.get(finding.kind.value, 0) + 1
    scan_text(whole)  # warm caches once more before timing

    whole_times = _time(lambda: scan_text(whole), args.runs)
    docs_times = _time(lambda: [scan_text(doc) for doc in documents], args.runs)
    report = {
        "text_mb": round(mb, 3),
        "chars": len(whole),
        "documents": len(documents),
        "runs": args.runs,
        "whole_text": {
            "median_mb_s": round(mb / median(whole_times), 1),
            "best_mb_s": round(mb / min(whole_times), 1),
            "p95_s": round(percentile(whole_times, 95), 4),
        },
        "per_document": {
            "median_mb_s": round(mb / median(docs_times), 1),
            "best_mb_s": round(mb / min(docs_times), 1),
            "p95_s": round(percentile(docs_times, 95), 4),
        },
        "inserted": inserted,
        "found": found,
        "target_mb_s": TARGET_MB_S,
        "machine": {"cpus": os.cpu_count(), "load": list(os.getloadavg())},
    }
    missed = {k: n - found.get(k, 0) for k, n in inserted.items() if found.get(k, 0) < n}
    report["missed"] = missed
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report)
    return report


def _print(report: dict) -> None:
    print(f"pre-scan throughput, one core: {report['text_mb']} MB of text, {report['documents']} documents")
    print(f"{'mode':<14}{'median MB/s':>12}{'best MB/s':>11}{'p95 s':>9}")
    for mode in ("whole_text", "per_document"):
        r = report[mode]
        print(f"{mode:<14}{r['median_mb_s']:>12}{r['best_mb_s']:>11}{r['p95_s']:>9}")
    ratio = report["whole_text"]["median_mb_s"] / report["target_mb_s"]
    print(f"target {report['target_mb_s']} MB/s: median is {ratio:.2f}x the target")
    print(
        "inserted / found:",
        ", ".join(f"{k} {n}/{report['found'].get(k, 0)}" for k, n in report["inserted"].items()),
    )
    if report["missed"]:
        print(f"MISSED: {report['missed']}", file=sys.stderr)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in report['machine']['load'])}")


if __name__ == "__main__":
    main()
