"""`python -m bench reports`: the annual report at a large agency's size.

Loads into a fresh SQLite database under bench/out a city government (the competent authority)
with 200 agencies below it; one of them receives 100,000 applications in the report year, the
others 500 each (plus carry-over from the year before and reconsideration/litigation cases),
then times through the product's code:
(a) ``annual_report_data`` for the large agency (target 2 s);
(b) ``authority_sum`` over the authority and its 200 agencies (target 5 s).
Prints medians, p95 and the ratio to the target; the report JSON goes beside the database.
"""

import argparse
import json
import os
import random
import shutil
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from gongkai.core.checksums import org_code_check_char

from .measure import median, percentile
from .runner import DEFAULT_OUT, SHANGHAI, _setup_django, log

YEAR = 2025
REPORT_TARGET_MS = 2000.0
AUTHORITY_TARGET_MS = 5000.0
BATCH = 5000
SCHEMA = 1


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench reports", description=__doc__)
    p.add_argument(
        "--large",
        type=int,
        default=103_100,
        help="applications of the large agency (3%% received the year before)",
    )
    p.add_argument("--agencies", type=int, default=200, help="agencies below the authority")
    p.add_argument("--each", type=int, default=500, help="applications of every other agency")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--rebuild", action="store_true")
    return p.parse_args(argv)


def _code(n: int) -> str:
    body = f"8{n:07d}"
    return body + org_code_check_char(body)


def _applications(agency, n: int, rng: random.Random, start_index: int) -> list:
    from gongkai.applications.models import Application
    from gongkai.applications.rules import ApplicantType, ApplicationState, Channel, Outcome

    types = ApplicantType.values
    outcomes = Outcome.values
    rows = []
    for i in range(n):
        carried = rng.random() < 0.03  # received the year before, still open on 1 January
        received = (
            date(YEAR - 1, 12, 1) + timedelta(days=rng.randrange(31))
            if carried
            else date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        )
        closed = received + timedelta(days=rng.randrange(5, 45))
        open_at_end = closed > date(YEAR, 12, 31) or rng.random() < 0.05
        rows.append(
            Application(
                agency=agency,
                tracking_no=f"B{agency.pk:04d}{start_index + i:09d}",
                query_code_hash="!",
                channel=Channel.ONLINE,
                applicant_type=rng.choice(types),
                name="（基准测试）",
                description="（基准测试数据）",
                form="electronic",
                delivery="email",
                state=ApplicationState.RECEIVED if open_at_end else ApplicationState.CLOSED,
                received_on=received,
                closed_on=None if open_at_end else closed,
                outcome="" if open_at_end else rng.choice(outcomes),
            )
        )
    return rows


def load(args) -> dict:
    from django.db import transaction

    from gongkai.agencies.models import Agency, AgencyLevel
    from gongkai.applications.models import Application, RemedyCase

    rng = random.Random(args.seed)
    authority = Agency.objects.create(code=_code(0), name="基准市人民政府", level=AgencyLevel.CITY)
    agencies = [
        Agency.objects.create(
            code=_code(i), name=f"基准市第{i}局", level=AgencyLevel.DEPARTMENT, parent=authority
        )
        for i in range(1, args.agencies + 1)
    ]
    large = agencies[0]
    start = time.perf_counter()
    index = 0
    for agency, n in [(large, args.large)] + [(a, args.each) for a in agencies[1:]]:
        for first in range(0, n, BATCH):
            rows = _applications(agency, min(BATCH, n - first), rng, index)
            index += len(rows)
            with transaction.atomic():
                Application.objects.bulk_create(rows)
    cases = []
    for agency in agencies:
        for _ in range(5 if agency is not large else 200):
            filed = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
            decided = filed + timedelta(days=rng.randrange(30, 200))
            cases.append(
                RemedyCase(
                    agency=agency,
                    kind=rng.choice(RemedyCase.Kind.values),
                    filed_on=filed,
                    decided_on=decided,
                    result=rng.choice(RemedyCase.Result.values),
                )
            )
    RemedyCase.objects.bulk_create(cases)
    return {
        "authority": authority.code,
        "large": large.code,
        "applications": index,
        "cases": len(cases),
        "load_s": round(time.perf_counter() - start, 1),
    }


def _time(fn, runs: int) -> list[float]:
    fn()  # warm caches once
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _summary(ms: list[float], target: float) -> dict:
    p95 = percentile(ms, 95)
    return {
        "median_ms": round(median(ms), 1),
        "p95_ms": round(p95, 1),
        "target_ms": target,
        "ratio": round(p95 / target, 2),
    }


def main(argv=None) -> dict:
    args = parse_args(argv)
    run_dir = args.out.resolve() / f"reports{args.large}-agencies{args.agencies}-seed{args.seed}-v{SCHEMA}"
    if args.rebuild and run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    _setup_django(run_dir)
    from django.core.management import call_command

    from gongkai.agencies.models import Agency
    from gongkai.reports.annual import annual_report_data, authority_sum

    meta_path = run_dir / "meta.json"
    call_command("migrate", verbosity=0)
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
    else:
        log(f"loading {args.large:,} + {args.agencies - 1} x {args.each} applications")
        meta = load(args)
        meta_path.write_text(json.dumps(meta))
    large = Agency.objects.get(code=meta["large"])
    authority = Agency.objects.get(code=meta["authority"])
    log("timing the large agency's report")
    report_ms = _time(lambda: annual_report_data(agency=large, year=YEAR), args.runs)
    log("timing the authority's sum")
    sum_ms = _time(
        lambda: authority_sum(agency=authority, year=YEAR, today=date(YEAR + 1, 4, 1)), max(3, args.runs // 2)
    )
    data = annual_report_data(agency=large, year=YEAR)
    report = {
        "date": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "load": meta,
        "report": _summary(report_ms, REPORT_TARGET_MS),
        "authority_sum": _summary(sum_ms, AUTHORITY_TARGET_MS),
        "received_in_year": data["tables"]["table2"]["received"]["total"],
        "checks_broken": len(data["checks"]),
        "machine": {"cpus": os.cpu_count(), "load": list(os.getloadavg())},
    }
    (run_dir / f"results-{datetime.now(SHANGHAI):%Y%m%d-%H%M%S}.json").write_text(
        json.dumps(report, indent=2)
    )
    print(
        f"annual report bench: {meta['applications']:,} applications, {meta['cases']} cases, {args.agencies} agencies"
    )
    print(f"{'measure':<44}{'median ms':>10}{'p95 ms':>10}{'target':>8}{'ratio':>7}")
    for name, key in (
        ("(a) annual report, large agency", "report"),
        ("(b) authority sum over its agencies", "authority_sum"),
    ):
        r = report[key]
        print(f"{name:<44}{r['median_ms']:>10}{r['p95_ms']:>10}{r['target_ms']:>8.0f}{r['ratio']:>7}")
    print(
        f"large agency: {report['received_in_year']:,} received in {YEAR}; broken checks: {report['checks_broken']}"
    )
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in report['machine']['load'])}")
    return report


if __name__ == "__main__":
    main()
