"""Statistics from the platform's records: applications imported as history (the supported way
to make past records), documents published through the catalogue's services, and the charts
that draw them."""

import re
from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.models import Subject
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.core.calendar import count_workdays
from gongkai.core.calendar_store import calendar_for
from gongkai.publishing.models import TimelinessFigure
from gongkai.publishing.tests.factories import approve_all, draft, make_office, make_staff
from gongkai.reports.charts import Series, axis_ticks, bar_chart, line_chart, nice_ceiling, percent
from gongkai.reports.statistics import (
    AgencyFigures,
    MonthFigures,
    ReplyFigures,
    Statistics,
    median_and_p90,
    rate,
    statistics_for,
    statistics_years,
)
from gongkai.reports.statistics_pages import statistics_charts

from .history import load

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)  # "overdue now" is counted as of this day


def app(ref, received, *, channel="post", applicant_type="natural_person", closed=None, outcome=None) -> dict:
    return {"ref": ref, "received_on": received, "channel": channel, "applicant_type": applicant_type,
            "closed_on": closed, "outcome": outcome}  # fmt: skip


def only(agency: Agency):
    return Agency.objects.filter(pk=agency.pk)


# --- pure helpers ------------------------------------------------------------------------------


def test_median_of_an_even_count_is_the_mean_of_the_middle_two_and_p90_the_nearest_rank():
    assert median_and_p90(Counter({1: 1, 13: 1, 14: 1, 23: 1})) == (13.5, 23)
    assert median_and_p90(Counter({5: 3, 9: 1})) == (5, 9)  # 5 5 5 9: ceil(0.9 × 4) = 4th
    assert median_and_p90(Counter({d: 1 for d in range(1, 11)})) == (5.5, 9)  # 9th of 10
    assert median_and_p90(Counter({7: 1})) == (7, 7)
    assert median_and_p90(Counter()) == (None, None)


def test_rate_is_a_percentage_with_one_decimal_and_none_without_a_base():
    assert rate(1, 3) == 33.3
    assert rate(0, 0) is None


# --- applications ------------------------------------------------------------------------------


@pytest.fixture
def bureau():
    """江州市教育局's history. Two applications were carried over open and closed later in
    Gongkai's terms (imported again with their closing), so that they keep the reply date their
    clock gave them; the others were closed in the former system and have none."""
    agency = make_agency("江州市教育局")
    load(agency, [
        app("A1", "2025-03-03", channel="online"),  # due 2025-03-31 (20 working days)
        app("A2", "2025-03-03", applicant_type="commercial_enterprise"),  # due 2025-03-31
        app("A6", "2025-11-03"),  # still open: due 2025-12-01, overdue by TODAY
    ])  # fmt: skip
    load(agency, [
        app("A1", "2025-03-03", channel="online", closed="2025-03-20", outcome="disclosed"),
        app("A2", "2025-03-03", applicant_type="commercial_enterprise", closed="2025-04-03",
            outcome="withheld_third_party"),
        app("A3", "2025-05-06", channel="in_person", closed="2025-05-07", outcome="unavailable_not_held"),
        app("A4", "2025-06-02", closed="2025-06-10", outcome="other_no_correction"),  # lapsed: no reply
        app("A5", "2024-12-20", closed="2025-01-10", outcome="disclosed"),  # received the year before
    ])  # fmt: skip
    other = make_agency("江州市财政局")
    load(other, [app("B1", "2025-03-05", closed="2025-03-06", outcome="disclosed"), app("B2", "2025-10-08")])
    return agency


def test_the_working_days_of_the_fixture_are_those_of_the_calendar():
    calendar = calendar_for()
    # Mar 4-7, 10-14, 17-20; Mar 4-31 and Apr 1-3; New Year's Day 2025 is a holiday.
    assert count_workdays(date(2025, 3, 3), date(2025, 3, 20), calendar) == 13
    assert count_workdays(date(2025, 3, 3), date(2025, 4, 3), calendar) == 23
    assert count_workdays(date(2024, 12, 20), date(2025, 1, 10), calendar) == 14


def test_applications_are_counted_by_month_channel_and_applicant_type_in_the_year_received(bureau):
    stats = statistics_for(agencies=only(bureau), year=2025, today=TODAY)
    assert stats.received == 5  # A5 was received in 2024; 财政局's are not in scope
    assert {m.month: m.received for m in stats.months if m.received} == {3: 2, 5: 1, 6: 1, 11: 1}
    assert {i.key: i.value for i in stats.by_channel if i.value} == {"online": 1, "post": 3, "in_person": 1}
    assert [i.label for i in stats.by_channel][:2] == ["网上申请", "信函申请"]  # every channel, in order
    assert {i.key: i.value for i in stats.by_applicant_type if i.value} == {
        "natural_person": 4,
        "commercial_enterprise": 1,
    }


def test_outcomes_count_in_the_year_closed_by_the_groups_of_table_2(bureau):
    stats = statistics_for(agencies=only(bureau), year=2025, today=TODAY)
    assert {m.month: m.closed for m in stats.months if m.closed} == {1: 1, 3: 1, 4: 1, 5: 1, 6: 1}
    assert [(i.label, i.value) for i in stats.outcomes] == [
        ("予以公开", 2), ("部分公开", 0), ("不予公开", 1), ("无法提供", 1), ("不予处理", 0), ("其他处理", 1),
    ]  # fmt: skip
    details = {i.key: i.value for i in stats.outcome_details}
    assert details["withheld_third_party"] == 1 and details["other_no_correction"] == 1
    assert sum(details.values()) == stats.reply.closed == 5


def test_on_time_compares_closing_with_the_stored_reply_date_and_days_are_working_days(bureau):
    reply = statistics_for(agencies=only(bureau), year=2025, today=TODAY).reply
    # A1 on time, A2 late; A3 and A5 closed in the former system without a reply date; A4 lapsed.
    assert (reply.closed, reply.replied, reply.on_time, reply.late, reply.unknown_due) == (5, 4, 1, 1, 2)
    assert reply.on_time_rate == 50.0
    assert reply.days == Counter({13: 1, 23: 1, 1: 1, 14: 1})  # A1, A2, A3, A5
    assert (reply.median_days, reply.p90_days) == (13.5, 23)


def test_overdue_now_counts_open_applications_past_their_reply_date(bureau):
    assert statistics_for(agencies=only(bureau), year=2025, today=TODAY).overdue_now == 1
    assert statistics_for(agencies=only(bureau), year=2025, today=date(2025, 12, 1)).overdue_now == 0
    # Overdue is as of today, whatever the year looked at.
    assert statistics_for(agencies=only(bureau), year=2024, today=TODAY).overdue_now == 1


def test_each_agency_has_its_row_and_the_totals_add_up(bureau):
    both = Agency.objects.filter(name__in=["江州市教育局", "江州市财政局"])
    stats = statistics_for(agencies=both, year=2025, today=TODAY)
    rows = {a.name: a for a in stats.by_agency}
    assert rows["江州市教育局"].received == 5 and rows["江州市财政局"].received == 2
    assert rows["江州市财政局"].reply.closed == 1 and rows["江州市财政局"].overdue_now == 1
    assert rows["江州市教育局"].reply.median_days == 13.5
    assert stats.received == 7 and stats.overdue_now == 2
    assert stats.reply.unknown_due == 3


def test_a_supervisor_scope_reaches_the_agencies_below(bureau):
    city = make_agency("江州市人民政府")
    bureau.parent = city
    bureau.save()
    supervisor = make_staff(city, Role.SUPERVISOR)
    stats = statistics_for(agencies=agencies_in_scope(supervisor), year=2025, today=TODAY)
    assert [a.name for a in stats.by_agency] == ["江州市教育局"]  # 财政局 is not below the city here
    assert stats.received == 5


def test_years_offered_run_from_this_year_back_to_the_first_record(bureau):
    assert statistics_years(only(bureau), TODAY) == [2026, 2025, 2024]
    assert statistics_years(Agency.objects.none(), TODAY) == [2026]


# --- proactive disclosure ----------------------------------------------------------------------


@pytest.fixture
def documents(bureau):
    general = Subject.objects.get(name="综合政务", parent=None)
    openness = Subject.objects.get(name="政务公开", parent=general)
    make_document(bureau, "江州市教育局2025年政务公开工作要点", subject_id=openness.pk,
                  published_on=date(2025, 2, 10))  # fmt: skip
    make_document(
        bureau, "关于做好2025年招生工作的通知", subject_id=general.pk, published_on=date(2025, 2, 20)
    )
    make_document(bureau, "关于开展校园安全检查的通知", published_on=date(2025, 9, 1))  # no subject
    make_document(bureau, "2024年工作总结", subject_id=general.pk, published_on=date(2024, 12, 30))
    make_document(bureau, "内部草稿", publish=False)
    make_document(Agency.objects.get(name="江州市财政局"), "财政预算公开", published_on=date(2025, 2, 1))
    TimelinessFigure.objects.create(agency=bureau, month=date(2025, 2, 1), on_time=3, late=1, days_late=4)
    TimelinessFigure.objects.create(agency=bureau, month=date(2025, 9, 1), on_time=1, late=0)
    TimelinessFigure.objects.create(agency=bureau, month=date(2024, 12, 1), on_time=0, late=2, days_late=9)
    return bureau


def test_published_documents_are_counted_by_month_and_top_level_subject(documents):
    stats = statistics_for(agencies=only(documents), year=2025, today=TODAY)
    assert stats.published == 3
    assert {m.month: m.published for m in stats.months if m.published} == {2: 2, 9: 1}
    # The second-level 政务公开 counts under its top level; a document without a subject is 未分类.
    assert [(i.label, i.value) for i in stats.by_subject] == [("综合政务", 2), ("未分类", 1)]
    assert [(i.label, i.value) for i in stats.published_by_agency] == [("江州市教育局", 3)]


def test_publication_timeliness_comes_from_the_stored_monthly_figures(documents):
    stats = statistics_for(agencies=only(documents), year=2025, today=TODAY)
    assert (stats.published_on_time, stats.published_late, stats.published_days_late) == (4, 1, 4)
    assert stats.publication_rate == 80.0
    feb = stats.months[1]
    assert (feb.published_on_time, feb.published_late, feb.publication_rate) == (3, 1, 75.0)
    assert stats.months[0].publication_rate is None  # nothing published in January


def test_publication_timeliness_follows_publications_through_review():
    office = make_office("江州市卫生健康委员会")
    approve_all(office, draft(office, written_on=date(2020, 1, 2)))  # long overdue
    approve_all(office, draft(office, title="按时公开的通知", written_on=timezone.localdate()))
    today = timezone.localdate()
    stats = statistics_for(agencies=only(office.agency), year=today.year, today=today)
    assert (stats.published_on_time, stats.published_late) == (1, 1)
    assert stats.published == 2 and stats.by_agency[0].publication_rate == 50.0


# --- queries -----------------------------------------------------------------------------------


def test_the_figures_take_eight_queries_however_many_agencies_and_records(
    documents, django_assert_num_queries
):
    calendar_for()  # the calendar is read once per process and then only checked for changes
    with django_assert_num_queries(8):
        statistics_for(agencies=Agency.objects.all(), year=2025, today=TODAY)
    for n in range(3):
        agency = make_agency(f"江州市第{n + 1}区人民政府")
        load(
            agency,
            [
                app(f"C{n}", "2025-04-01", closed="2025-04-02", outcome="disclosed"),
                app(f"D{n}", "2025-08-01"),
            ],
        )
        make_document(agency, f"第{n + 1}区通知", published_on=date(2025, 4, 1))
        TimelinessFigure.objects.create(agency=agency, month=date(2025, 4, 1), on_time=1)
    with django_assert_num_queries(8):
        stats = statistics_for(agencies=Agency.objects.all(), year=2025, today=TODAY)
    assert len(stats.by_agency) == 5 and stats.received == 7 + 6


# --- charts ------------------------------------------------------------------------------------


def test_bar_chart_draws_every_label_and_value_and_is_described_for_screen_readers():
    html = bar_chart(
        title="办结申请：按办理结果", items=[("予以公开", 12), ("不予公开：属于国家秘密", 3)], unit="件"
    )
    svg = re.search(r"<svg[^>]*>.*</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert "办结申请：按办理结果" in label and "予以公开 12件" in label
    assert "予以公开" in svg and ">12<" in svg and ">3<" in svg
    assert svg.count("<rect") == 2
    # The same figures as a table, the fallback for screen readers.
    assert "<table" in html and '<th scope="row">不予公开：属于国家秘密</th><td class="num">3</td>' in html
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere


def test_bars_are_proportional_to_their_values():
    svg = bar_chart(title="t", items=[("甲", 10), ("乙", 5)])
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)  # drawn to 0.1 of a unit


def test_chart_text_is_escaped():
    evil = '<script>alert("x")</script>&'
    html = bar_chart(title=evil, items=[(evil, 1)]) + line_chart(
        title=evil, labels=[evil], series=[Series(evil, [1])]
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html


def test_a_long_label_is_shortened_in_the_drawing_and_kept_whole_in_its_title_and_the_table():
    long = "不予处理：要求行政机关确认或重新出具已获取信息"
    html = bar_chart(title="结果", items=[(long, 1)], width=320)
    svg = re.search(r"<svg.*</svg>", html, re.S).group(0)
    assert f"<title>{long}：1</title>" in svg
    assert "…</text>" in svg
    assert f'<th scope="row">{long}</th>' in html


def test_line_chart_has_a_legend_a_line_per_series_and_a_gap_where_a_month_has_no_figure():
    html = line_chart(
        title="每月公开及时率",
        labels=["1月", "2月", "3月", "4月"],
        series=[Series("按期公开比例", [100, None, 50, 75]), Series("对照", [10, 20, 30, 40])],
        value_text=percent,
        top=100,
    )
    assert 'role="img"' in html and "按期公开比例" in html and "对照" in html
    assert html.count("<polyline") == 3  # 1月 alone, then 3月-4月; the second series in one piece
    assert "<title>4月 按期公开比例：75%</title>" in html
    assert '<th scope="row">2月</th><td class="num">—</td><td class="num">20%</td>' in html


def test_a_chart_without_figures_says_so_and_still_gives_its_table():
    html = bar_chart(title="申请方式", items=[("网上申请", 0), ("信函申请", 0)])
    assert "<svg" not in html and "暂无数据" in html and "<table" in html


def test_axis_tops_are_round_numbers():
    assert [nice_ceiling(v) for v in (0, 3, 7, 12, 26, 180, 0.4)] == [1, 5, 10, 20, 50, 200, 0.5]


def test_value_axes_step_by_round_whole_numbers():
    assert axis_ticks(25) == [0, 5, 10, 15, 20, 25]
    assert axis_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert axis_ticks(3) == [0, 1, 2, 3]
    assert axis_ticks(12) == [0, 5, 10, 15]
    assert axis_ticks(160) == [0, 50, 100, 150, 200]
    assert axis_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert axis_ticks(0) == [0, 1]


def test_charts_by_agency_show_the_lowest_rates_first_and_at_most_twenty_agencies():
    agencies = []
    for n in range(25):
        figures = AgencyFigures(code=f"A{n}", name=f"第{n}局", published=n)
        figures.reply.on_time, figures.reply.late = n, 25 - n
        agencies.append(figures)
    stats = Statistics(
        year=2025, today=TODAY, months=[MonthFigures(m) for m in range(1, 13)], by_channel=[], by_applicant_type=[],
        outcomes=[], outcome_details=[], reply=ReplyFigures(), overdue_now=0, by_subject=[], by_agency=agencies,
        published_on_time=0, published_late=0, published_days_late=0,
    )  # fmt: skip
    charts = statistics_charts(stats)
    rates = charts["on_time_by_agency"]
    assert rates.count("<rect") == 19  # 第0局 has a rate of 0: no bar, but its label and 0%
    assert rates.index(">第0局<") < rates.index(">第1局<") and ">第20局<" not in rates.split("<details")[0]
    assert "按时答复率最低的 20 个机关，共 25 个" in rates
    published = charts["published_by_agency"].split("<details")[0]
    assert ">第24局<" in published and ">第4局<" not in published


def test_the_pages_open_on_the_latest_year_with_data_not_an_empty_new_year(bureau):
    from gongkai.reports.statistics import latest_statistics_year
    from gongkai.reports.statistics_pages import StatisticsFilterForm

    # TODAY is 15 January 2026; the bureau's last application came in 2025.
    assert latest_statistics_year(only(bureau), TODAY) == 2025
    assert latest_statistics_year(Agency.objects.none(), TODAY) == 2026  # nothing at all
    form = StatisticsFilterForm(agencies=only(bureau), today=TODAY)
    assert form.selection().year == 2025 and form.fields["year"].initial == 2025
    chosen = StatisticsFilterForm({"year": "2026"}, agencies=only(bureau), today=TODAY)
    assert chosen.selection().year == 2026


def test_an_empty_chart_says_why(bureau):
    stats = statistics_for(agencies=only(bureau), year=2026, today=TODAY)
    charts = statistics_charts(stats)
    assert "暂无数据：2026年所选机关没有新收政府信息公开申请。" in charts["by_channel"]
    assert "暂无数据：2026年所选机关没有办结的申请。" in charts["outcomes"]
    assert "暂无数据：2026年所选机关没有主动公开政府信息。" in charts["by_subject"]
