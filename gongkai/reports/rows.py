"""The tables of the annual report as data (annual-report.md; interfaces.md, "Annual report
JSON"): keys of the JSON, the official labels of 国办公开办函〔2021〕30号 and the order in which
they are laid out. One place for the computation, the checker and every export format.

Reports for 2019 and 2020 use the trial layout of 国办公开办函〔2019〕60号 (FORMAT_2019): Table 1
has other columns and a procurement block, and （六）其他处理 of Table 2 is a single row. Where the
two layouts differ, the names below say which one they describe (TRIAL_… for 2019's)."""

from django.utils.translation import gettext_lazy as _

from gongkai.applications.rules import OUTCOME_GROUP, ApplicantType, Outcome

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"  # the trial layout, for the reports on 2019 and 2020
FORMATS = (FORMAT_2019, FORMAT_2021)
LAST_TRIAL_YEAR = 2020


def report_format(year: int) -> str:
    """The layout a report on ``year`` is written in. Before 2019 there was no national table
    form; such years (historical imports) are laid out in the trial form, the nearest one."""
    return FORMAT_2019 if year <= LAST_TRIAL_YEAR else FORMAT_2021


def data_format(data: dict) -> str:
    """The layout of a report's JSON: its ``format``, else the one of its year (older stored
    snapshots carry no format and were all generated in 2021's layout)."""
    fmt = data.get("format")
    if fmt:
        return str(fmt)
    year = data.get("year")
    return report_format(int(year)) if isinstance(year, int) else FORMAT_2021


# --- Table 2 ---------------------------------------------------------------------------------

APPLICANT_COLUMNS: tuple[str, ...] = tuple(ApplicantType.values)
TABLE2_COLUMNS: tuple[str, ...] = (*APPLICANT_COLUMNS, "total")
TABLE2_COLUMN_LABELS = {
    **{t.value: t.label for t in ApplicantType},
    "total": _("总计"),
}
# Columns 2-6 sit under one header in the official layout.
ORGANISATION_HEADER = _("法人或其他组织")


def _leaves(group: str) -> tuple[str, ...]:
    return tuple(o.value for o in Outcome if OUTCOME_GROUP[o] == group)


# The numbered sub-rows of （三）–（六）, in Outcome's (the official) order.
SUBTOTALS: dict[str, tuple[str, ...]] = {
    "withheld": _leaves("withheld"),
    "unavailable": _leaves("unavailable"),
    "unprocessed": _leaves("unprocessed"),
    "other_handling": _leaves("other_handling"),
}
# The rows that add up to （七）总计.
RESULT_GROUPS: tuple[str, ...] = ("disclosed", "partially_disclosed", *SUBTOTALS)

# (key, label, depth): depth 0 = 一/二/三/四, 1 = （一）…（七）, 2 = numbered sub-rows. "results"
# is the heading 三、本年度办理结果, which carries no figure and is not a key of the JSON.
TABLE2_ROWS: tuple[tuple[str, str, int], ...] = (
    ("received", _("一、本年新收政府信息公开申请数量"), 0),
    ("carried_over", _("二、上年结转政府信息公开申请数量"), 0),
    ("results", _("三、本年度办理结果"), 0),
    ("disclosed", _("（一）予以公开"), 1),
    ("partially_disclosed", _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), 1),
    ("withheld", _("（三）不予公开"), 1),
    ("withheld_state_secret", _("1.属于国家秘密"), 2),
    ("withheld_law", _("2.其他法律行政法规禁止公开"), 2),
    ("withheld_security", _("3.危及“三安全一稳定”"), 2),
    ("withheld_third_party", _("4.保护第三方合法权益"), 2),
    ("withheld_internal", _("5.属于三类内部事务信息"), 2),
    ("withheld_process", _("6.属于四类过程性信息"), 2),
    ("withheld_enforcement", _("7.属于行政执法案卷"), 2),
    ("withheld_inquiry", _("8.属于行政查询事项"), 2),
    ("unavailable", _("（四）无法提供"), 1),
    ("unavailable_not_held", _("1.本机关不掌握相关政府信息"), 2),
    ("unavailable_needs_creation", _("2.没有现成信息需要另行制作"), 2),
    ("unavailable_unclear", _("3.补正后申请内容仍不明确"), 2),
    ("unprocessed", _("（五）不予处理"), 1),
    ("unprocessed_petition", _("1.信访举报投诉类申请"), 2),
    ("unprocessed_repeat", _("2.重复申请"), 2),
    ("unprocessed_publication", _("3.要求提供公开出版物"), 2),
    ("unprocessed_excessive", _("4.无正当理由大量反复申请"), 2),
    ("unprocessed_confirmation", _("5.要求行政机关确认或重新出具已获取信息"), 2),
    ("other_handling", _("（六）其他处理"), 1),
    (
        "other_no_correction",
        _("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        2,
    ),
    (
        "other_fee_unpaid",
        _("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        2,
    ),
    ("other", _("3.其他"), 2),
    ("total", _("（七）总计"), 1),
    ("carried_forward", _("四、结转下年度继续办理"), 0),
)
TABLE2_KEYS: tuple[str, ...] = tuple(key for key, _label, _depth in TABLE2_ROWS if key != "results")
# 2019's form: （六）其他处理 is one row without numbered sub-rows, so it holds its own figure.
TRIAL_TABLE2_ROWS: tuple[tuple[str, str, int], ...] = tuple(
    row for row in TABLE2_ROWS if row[0] not in SUBTOTALS["other_handling"]
)
TRIAL_TABLE2_KEYS: tuple[str, ...] = tuple(
    key for key, _label, _depth in TRIAL_TABLE2_ROWS if key != "results"
)
TRIAL_SUBTOTALS = {group: leaves for group, leaves in SUBTOTALS.items() if group != "other_handling"}


def table2_rows(fmt: str) -> tuple[tuple[str, str, int], ...]:
    return TRIAL_TABLE2_ROWS if fmt == FORMAT_2019 else TABLE2_ROWS


def table2_keys(fmt: str) -> tuple[str, ...]:
    return TRIAL_TABLE2_KEYS if fmt == FORMAT_2019 else TABLE2_KEYS


def table2_subtotals(fmt: str) -> dict[str, tuple[str, ...]]:
    """The groups whose figure is the sum of their numbered sub-rows, in the given layout."""
    return TRIAL_SUBTOTALS if fmt == FORMAT_2019 else SUBTOTALS


# The official header note of the 总计 column.
TABLE2_NOTE = _("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")

# --- Table 3 ---------------------------------------------------------------------------------

TABLE3_KINDS: tuple[tuple[str, str], ...] = (
    ("reconsideration", _("行政复议")),
    ("litigation_direct", _("行政诉讼：未经复议直接起诉")),
    ("litigation_after_reconsideration", _("行政诉讼：复议后起诉")),
)
TABLE3_RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", _("结果维持")),
    ("corrected", _("结果纠正")),
    ("other", _("其他结果")),
    ("pending", _("尚未审结")),
    ("total", _("总计")),
)
TABLE3_PARTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending")

# --- Table 1 ---------------------------------------------------------------------------------

# Genre names of the seeded genre list (catalogue/seeds.py) behind the two document rows.
REGULATION_GENRE = "规章"
NORMATIVE_GENRE = "规范性文件"
TABLE1_DOCUMENT_ROWS: tuple[tuple[str, str, str], ...] = (
    ("regulations", REGULATION_GENRE, _("规章")),
    ("normative_documents", NORMATIVE_GENRE, _("行政规范性文件")),
)
TABLE1_DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("issued", _("本年制发件数")),
    ("repealed", _("本年废止件数")),
    ("in_force", _("现行有效件数")),
)
TABLE1_DECISION_ROWS: tuple[tuple[str, str], ...] = (
    ("licensing", _("行政许可")),
    ("penalty", _("行政处罚")),
    ("enforcement", _("行政强制")),
)
TABLE1_BLOCKS = (
    _("第二十条第（一）项"),
    _("第二十条第（五）项"),
    _("第二十条第（六）项"),
    _("第二十条第（八）项"),
)

# 2019's trial form of Table 1: documents made, newly disclosed and disclosed in all; for the
# powers of items (五), (六) and (八) the number of items last year, this year's change and the
# decisions; and item (九), government procurement, which the platform does not hold.
TRIAL_DOCUMENT_ROWS: tuple[tuple[str, str, str], ...] = (
    ("regulations", REGULATION_GENRE, _("规章")),
    ("normative_documents", NORMATIVE_GENRE, _("规范性文件")),
)
TRIAL_DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("made", _("本年新制作数量")),
    ("published", _("本年新公开数量")),
    ("public_total", _("对外公开总数量")),
)
TRIAL_ITEM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("previous_items", _("上一年项目数量")),
    ("change", _("本年增/减")),
    ("decisions", _("处理决定数量")),
)
TRIAL_ITEM_ROWS: tuple[tuple[str, str], ...] = (
    ("licensing", _("行政许可")),
    ("other_services", _("其他对外管理服务事项")),
    ("penalty", _("行政处罚")),
    ("enforcement", _("行政强制")),
    ("fees", _("行政事业性收费")),
)
TRIAL_PROCUREMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("projects", _("采购项目数量")),
    # The form prints no unit; amounts are kept in 万元 like 2021's fee income.
    ("amount_10k_yuan", _("采购总金额（单位：万元）")),
)
TRIAL_PROCUREMENT_ROW = ("procurement", _("政府集中采购"))
TRIAL_TABLE1_BLOCKS = (*TABLE1_BLOCKS, _("第二十条第（九）项"))

# --- narrative -------------------------------------------------------------------------------

# Keys of AnnualReport.narrative and the sections they fill; 二–四 are the tables.
NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", _("一、总体情况")),
    ("problems", _("五、存在的主要问题及改进情况")),
    ("other_matters", _("六、其他需要报告的事项")),
)
TABLE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("table1", _("二、主动公开政府信息情况")),
    ("table2", _("三、收到和处理政府信息公开申请情况")),
    ("table3", _("四、政府信息公开行政复议、行政诉讼情况")),
)
