"""What the statistics pages show, shared by the workbench (/staff/statistics/) and the public
portal (/statistics/): the filter, the charts, the tables and their CSV and XLSX downloads.
The figures come from statistics.py; nothing here queries beyond the filter's choices."""

import csv
import io
from dataclasses import dataclass
from datetime import date

import openpyxl
from django import forms
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gongkai.agencies.models import Agency
from gongkai.applications.rules import OUTCOME_GROUP
from gongkai.questions.selectors import participation_figures

from .charts import Series, bar_chart, line_chart, percent, plain
from .exports import xlsx_text
from .statistics import (
    OUTCOME_GROUPS,
    Statistics,
    agencies_with_below,
    latest_statistics_year,
    statistics_for,
    statistics_years,
)

# The definitions behind the figures (statistics.py says why), on every page and download.
DEFINITIONS = (
    gettext_lazy(
        "新收申请按收到申请之日计入年度和月份；办理结果、答复及时性和答复用时按办结之日计入年度。被合并的重复申请不计。"
    ),
    gettext_lazy("答复：办结的申请中，除申请人逾期不补正、逾期未缴费而终止的以外，均视为已答复。"),
    gettext_lazy(
        "按时答复：办结日期不晚于办结时系统记录的答复期限（已计入补正、征求意见、延期等）。办结日期为答复送达之日，故本口径略严于法定口径。从原系统导入的已办结申请没有答复期限记录，计为“期限未知”，不计入按时答复率。"
    ),
    gettext_lazy(
        "答复用时：自收到申请的次日起至办结之日的工作日数（按国务院办公厅节假日安排），补正、征求意见等暂停期间不扣除。"
    ),
    gettext_lazy("当前逾期：截至今日尚未办结、且已超过系统记录的答复期限的申请。"),
    gettext_lazy(
        "主动公开：发布日期在本年度、目前仍在公开目录中的政府信息（已撤回的不计），按一级主题分类统计。"
    ),
    gettext_lazy("公开及时性：按发布月份统计的按期公开和逾期公开的事项数（以公开期限计算）。"),
)
AGENCY_BARS = 20  # a chart by agency stays readable; the table by agency has them all
# How long the public page's figures are kept (the workbench always counts afresh).
CACHE_SECONDS = 300
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- the filter --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    agencies: QuerySet  # the agencies counted
    year: int
    agency: Agency | None  # the one chosen, or None for every agency of the scope

    def scope_label(self) -> str:
        if self.agency is None:
            return _("全部机关")
        return _("%(name)s（含下级机关）") % {"name": self.agency.name}

    def file_name(self, fmt: str) -> str:
        return f"{_('政务公开统计')}_{self.year}_{self.agency.code if self.agency else _('全部机关')}.{fmt}"


class StatisticsFilterForm(forms.Form):
    """Year and agency; only agencies of ``agencies`` (the user's scope, or the public
    directory) can be chosen, so an agency out of scope is refused like an unknown one."""

    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int, required=False, empty_value=None)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("机关（含下级机关）"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部机关"),
        to_field_name="code",
    )

    def __init__(self, data=None, *, agencies: QuerySet, today: date):
        super().__init__(data)
        self.scope, self.today = agencies, today
        self.fields["year"].choices = [
            (y, _("%(year)d年") % {"year": y}) for y in statistics_years(agencies, today)
        ]
        self.fields["agency"].queryset = agencies.order_by("path", "sort_order")
        self.latest_year = latest_statistics_year(agencies, today)
        self.fields["year"].initial = self.latest_year

    def selection(self) -> Selection | None:
        """What to count, or None when the filter is invalid (the errors say why)."""
        if self.is_bound and not self.is_valid():
            return None
        data = self.cleaned_data if self.is_bound else {}
        agency = data.get("agency")
        agencies = agencies_with_below(self.scope, agency) if agency else self.scope
        # No year chosen: the latest year with data, not an empty current year.
        return Selection(agencies=agencies, year=data.get("year") or self.latest_year, agency=agency)


# --- charts ------------------------------------------------------------------------------------


def _items(items) -> list[tuple[str, int]]:
    return [(i.label, i.value) for i in items]


def _more(count: int, *, lowest: bool = False) -> str:
    """What a chart by agency leaves out when there are more agencies than bars."""
    if count <= AGENCY_BARS:
        return ""
    if lowest:
        return _("图中为按时答复率最低的 %(n)d 个机关，共 %(total)d 个，全部机关见“按机关”表。") % {
            "n": AGENCY_BARS,
            "total": count,
        }
    return _("图中为公开数量最多的 %(n)d 个机关，共 %(total)d 个，全部机关见“按机关”表。") % {
        "n": AGENCY_BARS,
        "total": count,
    }


def statistics_charts(stats: Statistics) -> dict[str, SafeString]:
    """Every chart of the pages, by name."""
    months = [m.label for m in stats.months]
    piece, doc = _("件"), _("条")
    # Why a chart is empty, in the page's words (issue 12 §5: empty charts say why).
    no_received = _("%(year)d年所选机关没有新收政府信息公开申请。") % {"year": stats.year}
    no_published = _("%(year)d年所选机关没有主动公开政府信息。") % {"year": stats.year}
    replied = sorted(
        (a for a in stats.by_agency if a.reply.on_time + a.reply.late), key=lambda a: a.reply.on_time_rate
    )
    return {
        "applications_by_month": line_chart(
            empty=_("%(year)d年所选机关没有收到或办结政府信息公开申请。") % {"year": stats.year},
            title=_("%(year)d年每月新收和办结的申请") % {"year": stats.year},
            labels=months,
            series=[
                Series(_("新收申请"), [m.received for m in stats.months]),
                Series(_("办结申请"), [m.closed for m in stats.months]),
            ],
            unit=piece,
        ),
        "by_channel": bar_chart(
            empty=no_received,
            title=_("新收申请：按申请方式"),
            items=_items(stats.by_channel),
            unit=piece,
            header=(_("申请方式"), _("件数")),
        ),
        "by_applicant_type": bar_chart(
            empty=no_received,
            title=_("新收申请：按申请人类型"),
            items=_items(stats.by_applicant_type),
            unit=piece,
            header=(_("申请人类型"), _("件数")),
        ),
        "outcomes": bar_chart(
            empty=_("%(year)d年所选机关没有办结的申请。") % {"year": stats.year},
            title=_("办结申请：按办理结果"),
            items=_items(stats.outcomes),
            unit=piece,
            header=(_("办理结果"), _("件数")),
        ),
        # Lowest first: the agencies a supervisor has to look at.
        "on_time_by_agency": bar_chart(
            empty=_(
                "%(year)d年所选机关没有可计算按时答复率的已答复申请（从原系统导入的申请没有答复期限记录）。"
            )
            % {"year": stats.year},
            title=_("按时答复率：按机关"),
            items=[(a.name, a.reply.on_time_rate) for a in replied][:AGENCY_BARS],
            value_text=percent,
            top=100,
            header=(_("机关"), _("按时答复率")),
            note=_more(len(replied), lowest=True),
        ),
        "published_by_month": line_chart(
            empty=no_published,
            title=_("%(year)d年每月主动公开的政府信息") % {"year": stats.year},
            labels=months,
            series=[Series(_("主动公开"), [m.published for m in stats.months])],
            unit=doc,
        ),
        "by_subject": bar_chart(
            empty=no_published,
            title=_("主动公开：按主题分类"),
            items=_items(stats.by_subject),
            unit=doc,
            header=(_("主题分类"), _("条数")),
        ),
        "published_by_agency": bar_chart(
            empty=no_published,
            title=_("主动公开：按机关"),
            items=_items(stats.published_by_agency[:AGENCY_BARS]),
            unit=doc,
            header=(_("机关"), _("条数")),
            note=_more(len(stats.published_by_agency)),
        ),
        "publication_timeliness": line_chart(
            empty=_("%(year)d年所选机关没有设定公开期限的公开事项。") % {"year": stats.year},
            title=_("%(year)d年每月公开及时率") % {"year": stats.year},
            labels=months,
            series=[Series(_("按期公开比例"), [m.publication_rate for m in stats.months])],
            value_text=percent,
            top=100,
        ),
    }


# --- tables (the downloads, and the table by agency on the pages) -------------------------------


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]  # str, int, float or None (no figure)

    def text_rows(self) -> list[list[str]]:
        """The rows as the pages show them."""
        return [[cell_text(c) for c in row] for row in self.rows]


def _summary(stats: Statistics) -> Table:
    r = stats.reply
    rows = [
        [_("新收申请（件）"), stats.received],
        [_("办结申请（件）"), r.closed],
        [_("其中已答复（件）"), r.replied],
        [_("按时答复（件）"), r.on_time],
        [_("逾期答复（件）"), r.late],
        [_("答复期限未知（件）"), r.unknown_due],
        [_("按时答复率（%）"), r.on_time_rate],
        [_("答复用时中位数（工作日）"), r.median_days],
        [_("答复用时第90百分位（工作日）"), r.p90_days],
        [_("当前逾期未答复（件）"), stats.overdue_now],
        [_("主动公开政府信息（条）"), stats.published],
        [_("按期公开（件）"), stats.published_on_time],
        [_("逾期公开（件）"), stats.published_late],
        [_("逾期公开天数合计（日）"), stats.published_days_late],
        [_("公开及时率（%）"), stats.publication_rate],
    ]
    return Table(_("概览"), [_("指标"), _("数值")], rows)


def agency_table(stats: Statistics) -> Table:
    header = [
        _("机关"), _("新收申请"), _("办结申请"), _("按时答复"), _("逾期答复"), _("按时答复率（%）"),
        _("答复用时中位数（工作日）"), _("答复用时第90百分位（工作日）"), _("当前逾期未答复"),
        _("主动公开"), _("按期公开"), _("逾期公开"), _("公开及时率（%）"),
    ]  # fmt: skip
    rows = [
        [
            a.name,
            a.received,
            a.reply.closed,
            a.reply.on_time,
            a.reply.late,
            a.reply.on_time_rate,
            a.reply.median_days,
            a.reply.p90_days,
            a.overdue_now,
            a.published,
            a.published_on_time,
            a.published_late,
            a.publication_rate,
        ]
        for a in stats.by_agency
    ]
    return Table(_("按机关"), header, rows)


def statistics_tables(stats: Statistics) -> list[Table]:
    """The figures as tables, in the order of the downloads."""
    months = Table(
        _("按月"),
        [
            _("月份"),
            _("新收申请"),
            _("办结申请"),
            _("主动公开"),
            _("按期公开"),
            _("逾期公开"),
            _("公开及时率（%）"),
        ],
        [
            [
                m.label,
                m.received,
                m.closed,
                m.published,
                m.published_on_time,
                m.published_late,
                m.publication_rate,
            ]
            for m in stats.months
        ],
    )
    groups = {key: str(label) for key, label in OUTCOME_GROUPS}
    outcomes = Table(
        _("办理结果"),
        [_("类别"), _("办理结果"), _("件数")],
        [[groups[OUTCOME_GROUP[i.key]], i.label, i.value] for i in stats.outcome_details],
    )
    return [
        _summary(stats),
        months,
        Table(_("申请方式"), [_("申请方式"), _("件数")], [[i.label, i.value] for i in stats.by_channel]),
        Table(
            _("申请人类型"),
            [_("申请人类型"), _("件数")],
            [[i.label, i.value] for i in stats.by_applicant_type],
        ),
        outcomes,
        Table(_("主题分类"), [_("主题分类"), _("条数")], [[i.label, i.value] for i in stats.by_subject]),
        agency_table(stats),
    ]


def cell_text(value) -> str:
    """A figure as the pages and the CSV show it ("—" for none)."""
    if isinstance(value, int | float) or value is None:
        return plain(value)
    return str(value)


def _about(selection: Selection, today: date) -> list[list[str]]:
    return [
        [_("政务公开统计")],
        [_("范围"), selection.scope_label()],
        [_("年度"), str(selection.year)],
        [_("生成日期"), today.isoformat()],
        *([_("统计口径"), str(d)] for d in DEFINITIONS),
    ]


def statistics_csv(stats: Statistics, selection: Selection) -> bytes:
    """Every table in one CSV, one after another, each under its title. UTF-8 with a BOM so that
    Excel reads the Chinese; text a spreadsheet would run as a formula is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _about(selection, stats.today):
        writer.writerow([xlsx_text(c) for c in row])
    for table in statistics_tables(stats):
        writer.writerow([])
        writer.writerow([xlsx_text(table.title)])
        writer.writerow([xlsx_text(h) for h in table.header])
        for row in table.rows:
            writer.writerow(
                ["" if c is None else c if isinstance(c, int | float) else xlsx_text(c) for c in row]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def statistics_xlsx(stats: Statistics, selection: Selection) -> bytes:
    """A sheet per table after one describing the scope and the definitions; figures are
    numbers, text is neutralised as in the CSV."""
    book = openpyxl.Workbook()
    about = book.active
    about.title = _("说明")
    for row in _about(selection, stats.today):
        about.append([xlsx_text(c) for c in row])
    about["A1"].font = Font(bold=True)
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 100
    for table in statistics_tables(stats):
        sheet = book.create_sheet(table.title)
        sheet.append([xlsx_text(h) for h in table.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([c if c is None or isinstance(c, int | float) else xlsx_text(c) for c in row])
        sheet.column_dimensions["A"].width = 36
        for i in range(2, len(table.header) + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 14
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- what both views do ---------------------------------------------------------------------------


def _statistics(selection: Selection, today: date, cache_as: str) -> Statistics:
    """The figures, kept for a few minutes under ``cache_as`` when it is given: the public
    page counts every application on the platform, 0.9 s for 100,000 in a year on SQLite."""
    if not cache_as:
        return statistics_for(agencies=selection.agencies, year=selection.year, today=today)
    key = f"statistics:{cache_as}:{selection.year}:{selection.agency.pk if selection.agency else ''}:{today}"
    return cache.get_or_set(
        key,
        lambda: statistics_for(agencies=selection.agencies, year=selection.year, today=today),
        CACHE_SECONDS,
    )


def statistics_context(form: StatisticsFilterForm, query: str, *, cache_as: str = "") -> dict:
    """The context of a statistics page: the filter and, when it is valid, every figure."""
    selection = form.selection()
    context = {"form": form, "selection": selection, "definitions": DEFINITIONS, "query": query}
    if selection is not None:
        stats = _statistics(selection, form.today, cache_as)
        context.update(stats=stats, charts=statistics_charts(stats), agency_table=agency_table(stats))
        # Issue 16: consultations, comments, adoption rate and questions (consultations app).
        figures = lambda: participation_figures(  # noqa: E731
            agency_ids=selection.agencies.values_list("pk", flat=True), year=selection.year
        )
        key = f"participation:{cache_as}:{selection.year}:{selection.agency.pk if selection.agency else ''}"
        context["participation"] = cache.get_or_set(key, figures, CACHE_SECONDS) if cache_as else figures()
    return context


def statistics_response(form: StatisticsFilterForm, fmt: str, *, cache_as: str = "") -> HttpResponse | None:
    """The download in ``fmt`` (csv or xlsx), or None when the filter is invalid."""
    selection = form.selection()
    if selection is None:
        return None
    stats = _statistics(selection, form.today, cache_as)
    data = statistics_csv(stats, selection) if fmt == "csv" else statistics_xlsx(stats, selection)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, selection.file_name(fmt))
    return response
