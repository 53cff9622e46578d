"""`python -m bench applications`: disclosure on application at the size of a city's history.

Loads synthetic applications (default 100,000 over the 50 agencies of the search bench) into a
fresh SQLite database under bench/out, then times through the product's code:
(a) the staff workbench list: an agency's open applications, earliest reply date first, 50 rows;
(b) an application page's data: the application, its clock events and letters, and the clock
    computed by ``services.clock_state``;
(c) concurrent public submissions: 50 at once through ``POST /api/v1/applications`` on loopback
    when the API has that route, else ``services.application_submit_online`` from 50 threads;
    every one must be stored, with 50 distinct tracking numbers.
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from . import synth
from .measure import median, percentile
from .runner import DEFAULT_OUT, SHANGHAI, _setup_django, log

LIST_TARGET_MS = 100.0
PAGE_TARGET_MS = 100.0
BATCH = 5000
SCHEMA = 1  # bump when the generated data changes, so that a kept database is rebuilt

# Share of all applications by state; open ones were received in the last five weeks.
STATES = (
    ("closed", 0.88),
    ("merged", 0.01),
    ("submitted", 0.025),
    ("received", 0.06),
    ("awaiting_correction", 0.015),
    ("decided", 0.01),
)
OUTCOMES = (
    ("disclosed", 40), ("partially_disclosed", 10), ("withheld_third_party", 3), ("withheld_process", 3),
    ("withheld_internal", 2), ("withheld_law", 1), ("withheld_enforcement", 1), ("unavailable_not_held", 18),
    ("unavailable_needs_creation", 4), ("unavailable_unclear", 3), ("unprocessed_petition", 3),
    ("unprocessed_repeat", 3), ("unprocessed_publication", 1), ("other_no_correction", 4),
    ("other_fee_unpaid", 1), ("other", 3),
)  # fmt: skip
CHANNELS = (("online", 70), ("post", 15), ("in_person", 10), ("fax", 2), ("oral", 3))
APPLICANT_TYPES = (
    ("natural_person", 85), ("commercial_enterprise", 8), ("research_institution", 1),
    ("social_welfare_org", 1), ("legal_service_org", 3), ("other_org", 2),
)  # fmt: skip
# Clock histories as (event kind, calendar days after receipt, working days, ref) and the
# letters they produce; "awaiting" is the only one left paused.
PATTERNS = {
    "plain": ([("received", 0, 0, "")], []),
    "extended": ([("received", 0, 0, ""), ("extended", 10, 20, "")], ["extension"]),
    "consulted": (
        [("received", 0, 0, ""), ("consultation_started", 3, 0, "1"), ("consultation_ended", 12, 0, "1")],
        ["third_party_request", "third_party_applicant_notice"],
    ),
    "corrected": (
        [("received", 0, 0, ""), ("correction_requested", 2, 15, ""), ("correction_received", 9, 0, "")],
        ["correction"],
    ),
    "fee": ([("received", 0, 0, ""), ("fee_notice_sent", 5, 0, ""), ("fee_paid", 12, 0, "")], ["fee_notice"]),
    "awaiting": ([("received", 0, 0, ""), ("correction_requested", 2, 15, "")], ["correction"]),
}
FINISHED = (("plain", 70), ("extended", 10), ("consulted", 8), ("corrected", 7), ("fee", 5))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
SUBJECTS = (
    "本区{y}年度城市更新项目的征收补偿方案", "{y}年义务教育阶段学校招生计划及划片范围",
    "本单位{y}年部门预算和决算中的“三公”经费明细", "某小区周边道路拓宽工程的规划许可文件",
    "{y}年度最低生活保障资金发放情况", "某企业环境影响评价报告书及批复", "本镇{y}年度农村集体土地征收批文",
    "某建设项目的施工许可证及竣工验收备案材料", "{y}年度政府采购项目中标结果", "本市公共租赁住房分配名单及审核标准",
)  # fmt: skip
PARAGRAPH = (
    "经审查，您申请获取的政府信息属于本机关公开范围。根据《中华人民共和国政府信息公开条例》第三十六条的规定，"
    "现将有关情况答复如下：所申请信息已按您要求的形式提供，请查收。如对本答复不服，可以自收到本答复之日起"
    "六十日内向上一级行政机关申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench applications", description=__doc__)
    p.add_argument("--applications", type=int, default=100_000, help="applications loaded (default 100,000)")
    p.add_argument("--agencies", type=int, default=50, help="agencies they are spread over (at most 50)")
    p.add_argument("--list-runs", type=int, default=10, help="timed list queries per agency (default 10)")
    p.add_argument("--page-runs", type=int, default=300, help="timed application pages (default 300)")
    p.add_argument("--concurrent", type=int, default=50, help="simultaneous submissions (default 50)")
    p.add_argument("--via", choices=("auto", "http", "service"), default="auto",
                   help="submissions through the HTTP API or the service (default: HTTP when routed)")  # fmt: skip
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="working directory (default bench/out/)")
    p.add_argument(
        "--rebuild", action="store_true", help="load a fresh database even if one of that size exists"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p.parse_args(argv)


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), SHANGHAI) + timedelta(hours=10)


def _pick(rng: random.Random, weighted) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


# --- the data ---------------------------------------------------------------------------------


class Generator:
    """Application ``i`` depends only on the seed and ``i``; dates count back from ``today``."""

    def __init__(self, *, seed: int, today: date, agencies: list, clerks: dict, calendar):
        from gongkai.applications import clock

        self.seed, self.today, self.agencies, self.clerks = seed, today, agencies, clerks
        self.clock, self.calendar, self._due = clock, calendar, {}
        # Agencies differ in size as real ones do: the largest gets about 12% of all applications.
        self.weights = [1 / (rank + 1) ** 0.7 for rank in range(len(agencies))]
        from django.contrib.auth.hashers import make_password

        self.code_hash = make_password("BENCH234")  # one real hash: a million rounds per row would take hours

    def due(self, pattern: str, received_on: date):
        """(reply_due_on, provisional, paused) of a clock history, computed by the product's engine."""
        key = (pattern, received_on)
        if key not in self._due:
            events = [
                self.clock.ClockEvent(
                    kind=self.clock.EventKind(kind), on=received_on + timedelta(days=d), days=n, ref=ref
                )
                for kind, d, n, ref in PATTERNS[pattern][0]
            ]
            state = self.clock.compute_clock(events, self.calendar, today=self.today)
            self._due[key] = (state.reply_due_on, state.provisional, state.paused)
        return self._due[key]

    def application(self, i: int):
        """(Application, clock event rows, letter rows) of application ``i`` (pk = i + 1)."""
        from gongkai.applications.models import Application, ClockEventRecord, Letter
        from gongkai.core.checksums import id_number_check_char

        rng = random.Random(self.seed * 1_000_003 + i)
        agency = rng.choices(self.agencies, weights=self.weights)[0]
        state = _pick(rng, STATES)
        if state == "closed" or state == "merged":
            received_on = self.today - timedelta(days=rng.randint(40, 1095))
            pattern = _pick(rng, FINISHED) if state == "closed" else "plain"
        elif state == "submitted":
            received_on, pattern = None, None
        elif state == "awaiting_correction":
            received_on, pattern = self.today - timedelta(days=rng.randint(2, 30)), "awaiting"
        else:
            received_on = self.today - timedelta(days=rng.randint(0, 35))
            pattern = _pick(rng, FINISHED)
            if received_on + timedelta(days=max(d for _, d, _, _ in PATTERNS[pattern][0])) > self.today:
                pattern = "plain"  # its later events would lie in the future
        submitted_on = (
            received_on - timedelta(days=rng.randint(0, 2))
            if received_on
            else self.today - timedelta(days=rng.randint(0, 3))
        )
        due_on, provisional, paused = self.due(pattern, received_on) if pattern else (None, False, False)
        closed_on = outcome = None
        if state == "closed":
            closed_on = min(self.today, received_on + timedelta(days=rng.randint(5, 40)))
            outcome = _pick(rng, OUTCOMES)
        elif state == "decided":
            outcome = _pick(rng, OUTCOMES[:12])
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
        id_body = f"{agency.pk % 90 + 110100:06d}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        clerk = self.clerks[agency.pk]
        app = Application(
            pk=i + 1,
            agency=agency,
            tracking_no=f"{submitted_on:%Y%m%d}{i:06d}",
            query_code_hash=self.code_hash,
            channel=_pick(rng, CHANNELS) if received_on else "online",
            applicant_type=_pick(rng, APPLICANT_TYPES),
            name=name,
            id_type="resident_id",
            id_number=id_body + id_number_check_char(id_body),
            phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            email=f"user{i}@example.com",
            address=f"{agency.name[:3]}滨江路{rng.randint(1, 999)}号",
            description=rng.choice(SUBJECTS).format(y=rng.randint(2019, self.today.year)),
            form=rng.choice(("electronic", "paper")),
            delivery=rng.choice(("email", "post")),
            state=state,
            submitted_at=_at(submitted_on) + timedelta(minutes=rng.randrange(-600, 600)),
            received_on=received_on,
            reply_due_on=due_on,
            due_provisional=provisional,
            clock_paused=paused,
            outcome=outcome or "",
            decided_on=closed_on or (self.today if state == "decided" else None),
            closed_on=closed_on,
            assigned_to_id=clerk if received_on else None,
            client_ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        )  # fmt: skip
        events = [
            ClockEventRecord(
                application_id=i + 1, kind=kind, on=received_on + timedelta(days=d), days=n, ref=ref,
                basis=self.clock.BASIS[self.clock.EventKind(kind)], actor_id=clerk,
                at=_at(received_on + timedelta(days=d)),
            )
            for kind, d, n, ref in (PATTERNS[pattern][0] if pattern else [])
        ]  # fmt: skip
        kinds = list(PATTERNS[pattern][1]) if pattern else []
        if state in ("closed", "decided"):
            kinds.append("reply")
        letters = [
            Letter(
                application_id=i + 1, kind=kind, outcome=(outcome or "") if kind == "reply" else "",
                letter_no=f"{agency.name[:2]}公复〔{received_on.year}〕{i % 5000 + 1}号", title=f"政府信息公开{kind}告知书",
                paragraphs=[PARAGRAPH] * 5, seal_lines=[agency.name, f"{received_on:%Y年%m月%d日}"], created_by_id=clerk,
                created_at=_at(closed_on or received_on),
            )
            for kind in kinds
        ]  # fmt: skip
        return app, events, letters


@contextlib.contextmanager
def _keep_given_timestamps():
    """Let bulk_create store the generated submission times (auto_now_add would say "now")."""
    from gongkai.applications.models import Application, ClockEventRecord, Letter

    fields = [Application._meta.get_field("submitted_at"), ClockEventRecord._meta.get_field("at")]
    fields.append(Letter._meta.get_field("created_at"))
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def _agencies_and_clerks(n: int):
    from django.contrib.auth import get_user_model

    from gongkai.agencies.models import Agency, AgencyLevel, Role, StaffRole

    agencies, clerks = [], {}
    for a in synth.agencies()[:n]:
        agency, _ = Agency.objects.get_or_create(
            code=a.code, defaults={"name": a.name, "short_name": a.abbr, "level": AgencyLevel.CITY}
        )
        user, created = get_user_model().objects.get_or_create(username=f"clerk-{a.code}")
        if created:
            user.set_unusable_password()
            user.save()
            StaffRole.objects.create(user=user, agency=agency, role=Role.CLERK)
        agencies.append(agency)
        clerks[agency.pk] = user.pk
    return agencies, clerks


def load(args, today: date) -> dict:
    """Insert every application with its clock events and letters (bulk inserts: no services)."""
    from django.db import transaction

    from gongkai.applications.models import Application, ClockEventRecord, Letter
    from gongkai.core.calendar_store import calendar_for

    agencies, clerks = _agencies_and_clerks(args.agencies)
    gen = Generator(seed=args.seed, today=today, agencies=agencies, clerks=clerks, calendar=calendar_for())
    counts = {"applications": 0, "clock_events": 0, "letters": 0}
    start = time.perf_counter()
    with _keep_given_timestamps():
        for first in range(0, args.applications, BATCH):
            apps, events, letters = [], [], []
            for i in range(first, min(first + BATCH, args.applications)):
                app, ev, le = gen.application(i)
                apps.append(app)
                events += ev
                letters += le
            with transaction.atomic():
                Application.objects.bulk_create(apps)
                ClockEventRecord.objects.bulk_create(events)
                Letter.objects.bulk_create(letters)
            counts["applications"] += len(apps)
            counts["clock_events"] += len(events)
            counts["letters"] += len(letters)
            if (first // BATCH) % 5 == 4:
                log(f"  {counts['applications']:,} applications loaded")
    counts["load_s"] = round(time.perf_counter() - start, 1)
    return counts


# --- (a) and (b): reads -----------------------------------------------------------------------


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _summary(ms: list[float], target: float | None = None, **extra) -> dict:
    out = {"median_ms": round(median(ms), 2), "p95_ms": round(percentile(ms, 95), 2), "n": len(ms), **extra}
    if target:
        out.update(target_ms=target, ratio=round(out["p95_ms"] / target, 3))
    return out


def workbench_list(agency) -> list:
    """The workbench's list query (brief to the bench): open applications, earliest reply first."""
    from gongkai.applications.models import Application
    from gongkai.applications.rules import OPEN_STATES

    qs = Application.objects.filter(agency=agency, state__in=OPEN_STATES).select_related(
        "agency", "assigned_to"
    )
    return list(qs.order_by("reply_due_on")[:50])


def time_lists(args, agencies) -> dict:
    from django.db import connection

    from gongkai.applications.models import Application
    from gongkai.applications.rules import OPEN_STATES

    sizes = {a.pk: Application.objects.filter(agency=a).count() for a in agencies}
    largest = max(agencies, key=lambda a: sizes[a.pk])
    for a in agencies:  # warm the page cache once, untimed
        workbench_list(a)
    ms, ms_largest = [], []
    for _ in range(args.list_runs):
        for a in agencies:
            t = _ms(lambda a=a: workbench_list(a))
            ms.append(t)
            if a is largest:
                ms_largest.append(t)
    qs = Application.objects.filter(agency=largest, state__in=OPEN_STATES).order_by("reply_due_on")[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cur.fetchall()]
    out = {
        "all_agencies": _summary(ms, LIST_TARGET_MS),
        "largest_agency": _summary(
            ms_largest, LIST_TARGET_MS, applications=sizes[largest.pk],
            open=Application.objects.filter(agency=largest, state__in=OPEN_STATES).count(),
        ),
        "plan": plan,
    }  # fmt: skip
    out["as_the_list_page_does_it"] = _time_list_page(args, largest)
    return out


def _time_list_page(args, agency) -> dict | None:
    """The workbench list page's own queries where that module exists: the applications in the
    clerk's scope by due date with the unscheduled last, its count and the first page, for every
    filter the page offers; "all states" also as it was before issue 13 (whole rows sorted)."""
    try:
        from gongkai.workbench import selectors_applications as selectors
        from gongkai.workbench.views.applications import PAGE_SIZE
    except ImportError as exc:
        return {"skipped": f"workbench not importable ({exc})"}
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db.models import F
    from django.utils import timezone

    from gongkai.applications.rules import ApplicationState, Channel

    clerk = get_user_model().objects.get(username=f"clerk-{agency.code}")
    scope = selectors.applications_in_scope(clerk)
    today = timezone.localdate()
    some = scope.order_by("-pk").values_list("tracking_no", flat=True).first() or ""
    filters = {
        "all states, by due date": scope,
        "state received": scope.filter(state=ApplicationState.RECEIVED),
        "state closed": scope.filter(state=ApplicationState.CLOSED),
        "channel post": scope.filter(channel=Channel.POST),
        "overdue": selectors.filter_overdue(scope, today),
        "due within 5 days": selectors.filter_due_within(scope, today, 5),
        "receipt missing": selectors.filter_receipt_missing(scope),
        "mine": scope.filter(assigned_to=clerk),
        "agency chosen": scope.filter(agency=agency),
        # A whole number (as on the receipt) is looked up by the index; a few digits from its
        # end are still a text search (a LIKE scan of the agency's history).
        "search by number": selectors.search_applications(scope, clerk, some),
        "search by its last 6 digits": selectors.search_applications(scope, clerk, some[-6:]),
    }

    def timed(make) -> dict:
        def run():
            page = Paginator(make(), PAGE_SIZE).get_page(1)
            list(page.object_list)

        run()
        return _summary([_ms(run) for _ in range(max(20, args.list_runs * 5))], LIST_TARGET_MS)

    out = {name: timed(lambda qs=qs: selectors.by_due_date(qs)) for name, qs in filters.items()}
    whole_rows = scope.order_by(F("reply_due_on").asc(nulls_last=True), "-submitted_at", "-pk")
    out["all states, as before (whole rows sorted)"] = timed(lambda: whole_rows)
    return {**out["all states, by due date"], "agency": agency.code, "filters": out}


def application_page(pk: int):
    """What the application page reads: the application, its clock events and letters, the clock."""
    from gongkai.applications import services
    from gongkai.applications.models import Application

    app = Application.objects.select_related("agency", "agency__parent", "assigned_to", "registered_by").get(
        pk=pk
    )
    events = list(app.clock_events.select_related("actor"))
    letters = list(app.letters.select_related("created_by"))
    return app, events, letters, services.clock_state(app)


def time_pages(args, n_apps: int) -> dict:
    rng = random.Random(args.seed)
    pks = [rng.randrange(1, n_apps + 1) for _ in range(args.page_runs)]
    for pk in pks[:10]:
        application_page(pk)
    errors, ms = 0, []
    for pk in pks:
        try:
            ms.append(_ms(lambda pk=pk: application_page(pk)))
        except Exception:  # a clock the engine refuses: counted, not timed
            errors += 1
    out = {"page": _summary(ms, PAGE_TARGET_MS, clock_errors=errors)}
    try:
        from gongkai.workbench import selectors_applications as selectors
    except ImportError as exc:
        out["whole_file"] = {"skipped": f"workbench not importable ({exc})"}
        return out

    from gongkai.applications import services

    def whole(pk):
        app, *_ = application_page(pk)
        selectors.application_file(app)
        services.clock_state(app)

    out["whole_file"] = _summary([_ms(lambda pk=pk: whole(pk)) for pk in pks[:100]], PAGE_TARGET_MS)
    return out


# --- (c): concurrent submissions --------------------------------------------------------------


def _submission(agency_code: str, k: int) -> dict:
    body17 = f"110105{date(1980, 1, 1) + timedelta(days=k * 37):%Y%m%d}{k % 1000:03d}"
    from gongkai.core.checksums import id_number_check_char

    return {
        "agency": agency_code,
        "applicant_type": "natural_person",
        "name": f"并发{k}",
        "id_type": "resident_id",
        "id_number": body17 + id_number_check_char(body17),
        "phone": f"139{k:08d}",
        "email": f"citizen{k}@example.com",
        "address": "江州市滨江区江滨路1号",
        "description": f"{2020 + k % 6}年度本机关行政许可事项办理情况统计（并发测试{k}）",
        "doc_no": "",
        "form": "electronic",
        "delivery": "email",
    }


def _in_threads(n: int, work) -> tuple[list[float], list[str], float]:
    """Run ``work(k)`` in ``n`` threads released at once; latencies and failures."""
    barrier = threading.Barrier(n)
    ms: list[float | None] = [None] * n
    failures: list[str] = []

    def run(k):
        from django.db import connection

        barrier.wait()
        start = time.perf_counter()
        try:
            work(k)
            ms[k] = (time.perf_counter() - start) * 1000
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}"[:200])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [m for m in ms if m is not None], failures, time.perf_counter() - start


def _via_service(n: int, agency) -> tuple[list[float], list[str], float, list[str]]:
    from gongkai.applications import services

    keys = [f"bench-{uuid.uuid4().hex}" for _ in range(n)]

    def work(k):
        data = {**_submission(agency.code, k), "agency": agency}
        # Each citizen from an address of their own: the per-address limit is not under test.
        services.application_submit_online(data=data, client_ip=f"192.0.2.{k + 1}", idempotency_key=keys[k])

    ms, failures, wall = _in_threads(n, work)
    return ms, failures, wall, keys


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _server(run_dir: Path):
    """`gongkai serve` on loopback over the bench database, as one reverse proxy's backend."""
    port = _free_port()
    env = {**os.environ, "GONGKAI_DATA_DIR": str(run_dir / "data"), "GONGKAI_TRUSTED_PROXIES": "1"}
    env.pop("DATABASE_URL", None)
    server_log = run_dir / "serve.log"  # a file, not a pipe: a full pipe would stall the server
    with open(server_log, "wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=log_file,
        )  # fmt: skip
    try:
        for _ in range(300):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if proc.poll() is not None:
                raise RuntimeError(f"gongkai serve exited: {server_log.read_text()[-500:]}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _via_http(n: int, agency, run_dir: Path) -> tuple[list[float], list[str], float, list[str]]:
    tracking: list[str] = []

    with _server(run_dir) as base:

        def work(k):
            req = urllib.request.Request(
                f"{base}/api/v1/applications",
                data=json.dumps(_submission(agency.code, k), ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json", "X-Forwarded-For": f"192.0.2.{k + 1}"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(req, timeout=120) as resp:
                    body = json.loads(resp.read())
            except urllib.error.HTTPError as exc:
                raise RuntimeError(f"HTTP {exc.code}: {exc.read()[:200]!r}") from None
            if resp.status != 201 or not body.get("tracking_no") or not body.get("query_code"):
                raise RuntimeError(f"HTTP {resp.status}: {body}")
            tracking.append(body["tracking_no"])

        ms, failures, wall = _in_threads(n, work)
    return ms, failures, wall, tracking


def _api_routed() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/v1/applications")
        return True
    except Resolver404:
        return False


def time_submissions(args, agencies, run_dir: Path) -> dict:
    from gongkai.applications.models import Application

    agency = agencies[-1]  # a small agency: the list of the largest stays as measured
    via = args.via if args.via != "auto" else ("http" if _api_routed() else "service")
    before = Application.objects.count()
    if via == "http":
        ms, failures, wall, tracking = _via_http(args.concurrent, agency, run_dir)
        stored = Application.objects.filter(tracking_no__in=tracking)
    else:
        ms, failures, wall, keys = _via_service(args.concurrent, agency)
        stored = Application.objects.filter(idempotency_key__in=keys)
    rows = list(stored.values_list("tracking_no", "state"))
    out = {
        "via": via,
        "concurrent": args.concurrent,
        "stored": len(rows),
        "distinct_tracking_numbers": len({t for t, _ in rows}),
        "rows_added": Application.objects.count() - before,
        "failures": failures[:5],
        "failed": len(failures),
        "wall_s": round(wall, 2),
        "submissions_per_s": round(len(ms) / wall, 1) if wall else None,
    }
    if ms:
        out.update(_summary(ms))
    out["ok"] = len(rows) == args.concurrent == out["distinct_tracking_numbers"] and not failures
    # The database keeps what the bench added only until the next run removes it.
    return out


# --- the run ----------------------------------------------------------------------------------


def main(argv=None) -> dict:
    args = parse_args(argv)
    args.agencies = min(args.agencies, 50)
    run_dir = args.out.resolve() / f"applications{args.applications}-agencies{args.agencies}-seed{args.seed}"
    meta_path = run_dir / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    today = datetime.now(SHANGHAI).date()
    fresh = args.rebuild or meta.get("schema") != SCHEMA
    if fresh and (run_dir / "data").exists():
        shutil.rmtree(run_dir / "data")
    run_dir.mkdir(parents=True, exist_ok=True)
    _setup_django(run_dir)

    from django.core.management import call_command
    from django.db import connection

    from gongkai.applications.models import Application

    call_command("migrate", verbosity=0)
    if fresh or Application.objects.count() < args.applications:
        log(f"loading {args.applications:,} applications over {args.agencies} agencies")
        # No ANALYZE: the product never runs it, so the planner works without statistics here too.
        meta = {"schema": SCHEMA, "today": today.isoformat(), "load": load(args, today)}
        meta_path.write_text(json.dumps(meta))
    else:
        Application.objects.filter(pk__gt=args.applications).delete()  # the last run's submissions
    agencies, _ = _agencies_and_clerks(args.agencies)
    log("timing the workbench list")
    lists = time_lists(args, agencies)
    log("timing application pages")
    pages = time_pages(args, args.applications)
    log(f"{args.concurrent} concurrent submissions")
    submissions = time_submissions(args, agencies, run_dir)
    report = {
        "applications": args.applications,
        "agencies": args.agencies,
        "seed": args.seed,
        "load": meta.get("load"),
        "database": connection.vendor,
        "db_mib": round(
            sum(p.stat().st_size for p in (run_dir / "data").glob("gongkai.sqlite3*")) / 2**20, 1
        ),
        "list": lists,
        "page": pages,
        "submissions": submissions,
        "machine": {"cpus": os.cpu_count(), "load": [round(x, 2) for x in os.getloadavg()]},
        "at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
    }
    out = run_dir / f"results-{datetime.now(SHANGHAI):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report)
    log(f"results written to {out}")
    return report


def _row(name: str, r: dict | None) -> str:
    if not r or "median_ms" not in r:
        return f"{name:<46} {(r or {}).get('skipped', 'skipped')}"
    target = f"{r['target_ms']:.0f}" if r.get("target_ms") else "-"
    ratio = f"{r['ratio']:.2f}" + (" MISS" if r["ratio"] > 1 else "") if r.get("ratio") is not None else "-"
    return f"{name:<46}{r['median_ms']:>10.2f}{r['p95_ms']:>10.2f}{target:>8}{ratio:>11}{r['n']:>7}"


def _print(report: dict) -> None:
    load = report["load"] or {}
    print(
        f"disclosure on application: {report['applications']:,} applications over {report['agencies']} agencies, "
        f"{load.get('clock_events', 0):,} clock events, {load.get('letters', 0):,} letters "
        f"(loaded in {load.get('load_s', '?')} s; {report['db_mib']} MiB SQLite)"
    )
    print(f"{'measure':<46}{'median ms':>10}{'p95 ms':>10}{'target':>8}{'p95/target':>11}{'n':>7}")
    lst, page = report["list"], report["page"]
    print(_row("(a) workbench list, 50 open by due date", lst["all_agencies"]))
    big = lst["largest_agency"]
    print(_row(f"    largest agency ({big['applications']:,} apps, {big['open']:,} open)", big))
    print(_row("    list page as shipped (all states, count)", lst["as_the_list_page_does_it"]))
    for name, r in lst["as_the_list_page_does_it"].get("filters", {}).items():
        print(_row(f"      list page: {name}", r))
    print(_row("(b) application page data + clock", page["page"]))
    print(_row("    whole file (workbench selector) + clock", page["whole_file"]))
    s = report["submissions"]
    print(
        _row(f"(c) {s['concurrent']} concurrent submissions via {s['via']}", s if "median_ms" in s else None)
    )
    verdict = "OK" if s["ok"] else "FAILED"
    print(
        f"    {verdict}: {s['stored']} stored, {s['distinct_tracking_numbers']} distinct tracking numbers, "
        f"{s['failed']} failed; all done in {s['wall_s']} s ({s['submissions_per_s']}/s)"
    )
    for failure in s["failures"]:
        print(f"    failure: {failure}", file=sys.stderr)
    print(f"    list query plan: {' | '.join(lst['plan'])}")
    if report["page"]["page"].get("clock_errors"):
        print(f"    clock errors on {report['page']['page']['clock_errors']} pages", file=sys.stderr)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in report['machine']['load'])}")


if __name__ == "__main__":
    main()
