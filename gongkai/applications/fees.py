"""Information-processing fees for disclosure on application (信息处理费), as data and pure functions.

Source: 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）, in force 2021-01-01 (spec/fees.md).
Applications are free by default; the agency may charge per count (按件) or per volume (按量) for one
application, never both, and each method is progressive (超额累进). Counting is the caller's job:
``nth_in_month`` counts the same applicant's matters to the agency in one calendar month, with
several applicants acting together for the same content counted as one applicant, and a bundled
application split into its smallest reasonable units (一事一申请, ``matters`` per application,
each charged in its own band). No database access here.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
CENT = Decimal("0.01")


class FeeMethod(StrEnum):
    PER_COUNT = "per_count"  # 按件计收
    PER_VOLUME = "per_volume"  # 按量计收


class FeeExemption(StrEnum):
    OWN_AFFAIRS = "own_affairs"  # 申请人本人相关信息
    PROACTIVELY_DISCLOSED = "proactively_disclosed"  # 告知已主动公开


EXEMPTION_TEXT = {
    FeeExemption.OWN_AFFAIRS: "申请获取与申请人自身相关的政府信息",
    FeeExemption.PROACTIVELY_DISCLOSED: "以告知已主动公开方式答复",
}


class FeeNotAllowed(ValueError):
    """A fee the Measures do not allow; the message (Chinese) says why."""


@dataclass(frozen=True)
class Band:
    first: int
    last: int | None  # None: open-ended
    yuan: Decimal  # per application (按件) or per page (按量) within the band

    def label(self, unit: str) -> str:
        return f"第{self.first}{unit}及以上" if self.last is None else f"第{self.first}-{self.last}{unit}"


PER_COUNT_BANDS: tuple[Band, ...] = (
    Band(1, 10, Decimal(0)),
    Band(11, 30, Decimal(100)),
    Band(31, 40, Decimal(200)),
    Band(41, 50, Decimal(300)),
)
# Beyond the last listed band: "each further band of 10 applications costs 100 yuan more".
PER_COUNT_FURTHER_WIDTH = 10
PER_COUNT_FURTHER_STEP = Decimal(100)

PER_VOLUME_BANDS: tuple[Band, ...] = (
    Band(1, 30, Decimal(0)),
    Band(31, 100, Decimal(10)),
    Band(101, 200, Decimal(20)),
    Band(201, None, Decimal(40)),
)


@dataclass(frozen=True)
class FeeQuote:
    method: str
    amount: Decimal
    basis: str  # for the fee notice (收费通知): the Measures and the band(s) applied
    lines: tuple[str, ...]  # the computation, band by band


def _yuan(amount: Decimal) -> str:
    return f"{amount.quantize(CENT)}元"


def per_count_band(nth: int) -> Band:
    """The band of the ``nth`` application in the month, generating bands of 10 past the table."""
    for band in PER_COUNT_BANDS:
        if band.first <= nth <= band.last:
            return band
    top = PER_COUNT_BANDS[-1]
    k = (nth - top.last - 1) // PER_COUNT_FURTHER_WIDTH + 1
    first = top.last + (k - 1) * PER_COUNT_FURTHER_WIDTH + 1
    return Band(first, first + PER_COUNT_FURTHER_WIDTH - 1, top.yuan + k * PER_COUNT_FURTHER_STEP)


def quote_per_count(*, nth_in_month: int) -> FeeQuote:
    """The fee of the applicant's ``nth_in_month`` application this month (1-based), 按件计收."""
    if nth_in_month < 1:
        raise FeeNotAllowed("本月申请件次须从1开始计数")
    band = per_count_band(nth_in_month)
    amount = band.yuan.quantize(CENT)
    rate = "免费" if not band.yuan else f"每件{_yuan(band.yuan)}"
    return FeeQuote(
        method=FeeMethod.PER_COUNT,
        amount=amount,
        basis=f"依据{MEASURES}按件计收：本月累计{band.label('件')}，{rate}",
        lines=(f"本月第{nth_in_month}件申请，适用{band.label('件')}档（{rate}）：{_yuan(amount)}",),
    )


def quote_per_count_matters(*, first_nth: int, matters: int, reason: str = "") -> FeeQuote:
    """The per-count fee of one application holding ``matters`` matters (一事一申请), which are
    the applicant's ``first_nth``-th to ``first_nth + matters - 1``-th of the month: each matter
    is charged in its own band, and the letter shows the split."""
    if matters < 1:
        raise FeeNotAllowed("件数须至少为1")
    if matters == 1:
        return quote_per_count(nth_in_month=first_nth)
    quotes = [quote_per_count(nth_in_month=first_nth + i) for i in range(matters)]
    amount = sum((q.amount for q in quotes), Decimal(0)).quantize(CENT)
    last = first_nth + matters - 1
    split = f"本申请按一事一申请拆分为{matters}件" + (f"（{reason}）" if reason else "")
    used = "；".join(dict.fromkeys(q.basis.split("：", 1)[1] for q in quotes))
    basis = f"依据{MEASURES}按件计收：{split}，为本月第{first_nth}-{last}件，{used}，合计{_yuan(amount)}"
    lines = (split, *(q.lines[0] for q in quotes), f"合计：{_yuan(amount)}")
    return FeeQuote(FeeMethod.PER_COUNT, amount, basis, lines)


def quote_per_volume(*, pages: int, conversion_rule: str = "") -> FeeQuote:
    """The fee for ``pages`` pages provided for one application, 按量计收 with progressive bands.

    ``conversion_rule`` records how electronic data was converted to pages (see pages_from_electronic).
    """
    if pages < 0:
        raise FeeNotAllowed("页数不能为负数")
    amount, lines, used = Decimal(0), [], []
    for band in PER_VOLUME_BANDS:
        top = pages if band.last is None else min(pages, band.last)
        if top < band.first:
            break
        part = band.yuan * (top - band.first + 1)
        amount += part
        used.append(f"{band.label('页')}{'免费' if not band.yuan else '每页' + _yuan(band.yuan)}")
        span = f"第{band.first}页" if top == band.first else f"第{band.first}-{top}页"
        lines.append(f"{span}：{top - band.first + 1}页 × {_yuan(band.yuan)} = {_yuan(part)}")
    lines.append(f"合计：{_yuan(amount)}")
    basis = f"依据{MEASURES}按量计收（超额累进）：共{pages}页，" + ("，".join(used) or "无计费页数")
    if conversion_rule:
        basis += f"；电子数据折算规则：{conversion_rule}"
    return FeeQuote(FeeMethod.PER_VOLUME, amount.quantize(CENT), basis, tuple(lines))


def pages_from_electronic(*, megabytes: Decimal, pages_per_mb: Decimal) -> int:
    """Pages equivalent to electronic data by the agency's published rule, rounded up."""
    if megabytes < 0 or pages_per_mb <= 0:
        raise FeeNotAllowed("电子数据折算页数时，数据量不能为负数，每MB折合页数须大于0")
    return int((megabytes * pages_per_mb).to_integral_value(rounding=ROUND_CEILING))


def _check_money(amount: Decimal, what: str) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise FeeNotAllowed(f"{what}须为有效金额")
    if amount < 0:
        raise FeeNotAllowed(f"{what}不能为负数")
    if amount != amount.quantize(CENT):
        raise FeeNotAllowed(f"{what}只能精确到分")


def fee_check(
    *,
    method: str,
    amount: Decimal,
    nth_in_month: int | None = None,
    pages: int | None = None,
    exemption: str | None = None,
    conversion_rule: str = "",
    matters: int = 1,
    matters_reason: str = "",
) -> FeeQuote:
    """The quote when ``amount`` is exactly what the Measures allow; FeeNotAllowed otherwise.

    Reductions below the standard go through waiver_apply, not here.
    """
    _check_money(amount, "收费金额")
    if method not in set(FeeMethod):
        raise FeeNotAllowed("计费方式只能是按件计收或按量计收")
    if (nth_in_month is None) == (pages is None):
        raise FeeNotAllowed("同一申请只能按件或按量一种标准计收，须且只须提供件次或页数中的一项")
    if method == FeeMethod.PER_COUNT:
        if nth_in_month is None:
            raise FeeNotAllowed("按件计收须提供本月件次，不能按页数计算")
        quote = quote_per_count_matters(first_nth=nth_in_month, matters=matters, reason=matters_reason)
    else:
        if pages is None:
            raise FeeNotAllowed("按量计收须提供页数，不能按件次计算")
        quote = quote_per_volume(pages=pages, conversion_rule=conversion_rule)
    if exemption is not None:
        if exemption not in set(FeeExemption):
            raise FeeNotAllowed("未知的免收情形")
        rule = f"{EXEMPTION_TEXT[FeeExemption(exemption)]}的，不收取信息处理费"
        if amount:
            raise FeeNotAllowed(rule)
        return FeeQuote(FeeMethod(method), Decimal("0.00"), f"依据{MEASURES}，{rule}", (f"免收：{rule}",))
    if amount != quote.amount:
        if not quote.amount:
            raise FeeNotAllowed(f"该申请在免费范围内（{quote.basis}），不得收费")
        raise FeeNotAllowed(f"收费金额应为{_yuan(quote.amount)}，不是{_yuan(amount)}（{quote.basis}）")
    return quote


def waiver_apply(*, quote: FeeQuote, reduced_to: Decimal, approved_by_office_head: bool) -> FeeQuote:
    """The quote reduced (减免) for an applicant in financial difficulty, with the office head's approval."""
    _check_money(reduced_to, "减免后金额")
    if not approved_by_office_head:
        raise FeeNotAllowed("减免信息处理费须经政府信息公开工作机构负责人批准")
    if reduced_to >= quote.amount:
        raise FeeNotAllowed(f"减免后金额须低于原金额{_yuan(quote.amount)}")
    line = f"经政府信息公开工作机构负责人批准，由{_yuan(quote.amount)}减免至{_yuan(reduced_to)}"
    return FeeQuote(quote.method, reduced_to.quantize(CENT), f"{quote.basis}；{line}", (*quote.lines, line))
