"""Figures stated in a report's text compared with its tables (issue 12: "one says 17 applications
in the text and 95 in the table"). Sections 一 (总体情况) and 六 (其他需要报告的事项) often repeat
the tables in words: 全年共收到申请 N 件, 予以公开 N 件, 行政复议 N 件. Each such figure that
disagrees with the table is a finding, with the words it was read from.

Only plain statements are read: a phrase, at most a few characters of filler, an Arabic number
and 件 (or 份, 宗, 起). What the text does not state in that form is not guessed at."""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

from gongkai.consultations.selectors import consultation_statistics
from gongkai.questions.selectors import question_statistics

from .checks import table2_figure
from .rows import data_format

RULE_NARRATIVE = "正文数字与报表一致"
SECTIONS = ("overview", "other_matters")
_FILL = r"[^，。；,;：:\d]{0,8}?"
_N = r"(\d+)\s*(?:件|份|宗|起)"

# (key, pattern, what it is compared with). Each comparison is a list of alternatives: the
# text agrees when it states any of them (收到申请 N 件 may count 一 alone or 一 + 二).
STATEMENTS: tuple[tuple[str, str, str], ...] = (
    ("received", rf"(?:新?收到|新?受理|共收到){_FILL}申请{_FILL}{_N}", _("收到申请")),
    ("carried_over", rf"上年(?:度)?结转{_FILL}{_N}", _("上年结转")),
    ("disclosed", rf"(?<!不)予以公开{_FILL}{_N}", _("予以公开")),
    ("partially_disclosed", rf"部分公开{_FILL}{_N}", _("部分公开")),
    ("withheld", rf"不予公开{_FILL}{_N}", _("不予公开")),
    ("reconsideration", rf"(?:行政)?复议(?!后){_FILL}{_N}", _("行政复议")),
    ("litigation", rf"(?:行政)?诉讼{_FILL}{_N}", _("行政诉讼")),
)


def _table3_total(table3: dict, kinds: tuple[str, ...]) -> int | None:
    values = [((table3.get(kind) or {}).get("total")) for kind in kinds]
    if any(not isinstance(v, int) or isinstance(v, bool) for v in values):
        return None
    return sum(values)


def _expected(key: str, tables: dict, fmt: str) -> tuple[str, str, list[int]] | None:
    """(row, column, the figures the text may state) for a statement, None when the table is blank there."""
    table2, table3 = tables.get("table2") or {}, tables.get("table3") or {}
    if key == "reconsideration":
        total = _table3_total(table3, ("reconsideration",))
        return None if total is None else ("table3.reconsideration", "total", [total])
    if key == "litigation":
        total = _table3_total(table3, ("litigation_direct", "litigation_after_reconsideration"))
        return None if total is None else ("table3.litigation", "total", [total])
    value = table2_figure(table2, key, "total", fmt)
    if value is None:
        return None
    figures = [value]
    if key == "received":
        carried = table2_figure(table2, "carried_over", "total", fmt)
        if carried is not None:
            figures.append(value + carried)
    return key, "total", figures


def narrative_findings(data: dict, narrative: dict | None) -> list[dict]:
    """Each figure stated in sections 一 and 六 that disagrees with the tables, as {"rule", "row",
    "column", "expected", "actual", "section", "text"}: ``expected`` the table's figure,
    ``actual`` the text's, ``text`` the words it was read from."""
    tables, fmt = data.get("tables") or {}, data_format(data)
    findings = []
    for section in SECTIONS:
        text = str((narrative or {}).get(section) or "")
        for key, pattern, _label in STATEMENTS:
            for match in re.finditer(pattern, text):
                expected = _expected(key, tables, fmt)
                if expected is None:
                    continue
                row, column, figures = expected
                stated = int(match.group(1))
                if stated in figures:
                    continue
                findings.append(
                    {
                        "rule": RULE_NARRATIVE,
                        "row": row,
                        "column": column,
                        "expected": figures[0],
                        "actual": stated,
                        "section": section,
                        "text": match.group(0),
                    }
                )
    return findings


# --- the public's participation, stated in section 六 --------------------------------------


def participation_figures(agency_ids, year: int) -> dict:
    """The year's consultations (征求意见: drafts opened, comments, adoption) and questions
    answered in public (网上咨询, 在线访谈) of the agencies, from those apps' selectors, as stored
    in ``data["participation_section"]``; empty when the year had neither."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    ids = list(agency_ids)
    c = consultation_statistics(agency_ids=ids, start=start, end=end)
    q = question_statistics(agency_ids=ids, start=start, end=end)
    if not (c.consultations or q.questions or q.interviews):
        return {}
    return {
        "consultations": {
            "consultations": c.consultations,
            "comments": c.comments,
            "groups_decided": c.groups_decided,
            "adopted": c.adopted,
            "partly_adopted": c.partly_adopted,
            "adoption_rate": c.adoption_rate,
        },
        "questions": {
            "questions": q.questions,
            "answered": q.answered,
            "answered_on_time": q.answered_on_time,
            "published": q.published,
            "interviews": q.interviews,
        },
    }


def _percent(rate: float) -> str:
    text = f"{rate * 100:.1f}"
    return text[:-2] if text.endswith(".0") else text


def participation_paragraph(data: dict) -> str:
    """Section 六's sentences on public participation from ``data["participation_section"]``.
    Worded so that the text-against-tables check above reads nothing in it (条, not 件 with 申请)."""
    section = data.get("participation_section") or {}
    sentences = []
    c = section.get("consultations") or {}
    if c.get("consultations"):
        text = str(_("本年度公开征求意见%(consultations)s项，收到意见%(comments)s条")) % {
            "consultations": c["consultations"],
            "comments": c.get("comments", 0),
        }
        if c.get("adoption_rate") is not None:
            text += str(_("，归纳意见%(groups)s类，采纳和部分采纳%(adopted)s类，采纳率%(rate)s%%")) % {
                "groups": c.get("groups_decided", 0),
                "adopted": (c.get("adopted") or 0) + (c.get("partly_adopted") or 0),
                "rate": _percent(c["adoption_rate"]),
            }
        sentences.append(text + "。")
    q = section.get("questions") or {}
    if q.get("questions"):
        sentences.append(
            str(
                _(
                    "收到网上咨询%(questions)s条，已答复%(answered)s条，其中按期答复%(on_time)s条，公开发布%(published)s条。"
                )
            )
            % {
                "questions": q["questions"],
                "answered": q.get("answered", 0),
                "on_time": q.get("answered_on_time", 0),
                "published": q.get("published", 0),
            }
        )
    if q.get("interviews"):
        sentences.append(str(_("举办在线访谈%(n)s场。")) % {"n": q["interviews"]})
    return "".join(sentences)
