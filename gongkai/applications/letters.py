"""Letters of disclosure on application (告知书、答复书): templates as data, rendered to text, PDF, DOCX.

A template is a Django template string with the blocks ``title``, ``letter_no``, ``addressee``,
``body`` and ``seal`` (see ``letter_templates.py`` for the defaults); an agency may store an edited
copy and pass it in. The addressee (称谓/主送) becomes the first paragraph, ending in a full-width
colon: GB/T 9704 prints such a line flush left, and so do the writers.

Rendering runs with autoescape off (the result is plain text) on an engine of its own: no
template loaders, no ``{% load %}`` libraries, ``{% debug %}``/``{% include %}``/
``{% url %}`` refused, unknown fields reported. Every fault of an edited template is a
``LetterTemplateError`` with a Chinese message; missing facts the law requires in a letter are its
subclass ``LetterDataError``. The PDF and DOCX writers escape every piece of text themselves.

The writers (``letter_pdf``, ``letter_docx``) live in ``letter_formats`` and are re-exported here.

Kept as one module on purpose (over 500 lines): the letter kinds, the facts each requires and the
sandboxed renderer are one contract with the templates; the PDF and DOCX writers already live in
letter_formats.
"""

import functools
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.template import Context, Engine, Library, TemplateSyntaxError
from django.template.base import TextNode
from django.template.defaulttags import CommentNode, CsrfTokenNode, DebugNode, LoadNode, URLNode
from django.template.loader_tags import BlockNode, ExtendsNode, IncludeNode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.applications import letter_templates as defaults
from gongkai.applications.letter_formats import RenderedLetter as RenderedLetter  # re-exported
from gongkai.applications.letter_formats import letter_docx as letter_docx  # re-exported
from gongkai.applications.letter_formats import letter_pdf as letter_pdf  # re-exported

TZ = ZoneInfo("Asia/Shanghai")
OUTCOMES = defaults.OUTCOMES
RECONSIDERATION_FIRST = defaults.RECONSIDERATION_FIRST
RECONSIDERATION_FIRST_IN_PART = defaults.RECONSIDERATION_FIRST_IN_PART
WITHHELD_GROUNDS = defaults.WITHHELD_GROUNDS
withheld_ground_text = defaults.withheld_ground_text


class LetterKind(StrEnum):
    """The standard procedural documents (national standardisation pilot) and the reply."""

    REGISTER_FORM = "register_form"  # 申请登记表
    RECEIPT = "receipt"  # 接收回执
    CORRECTION = "correction"  # 补正告知书, Art. 30
    EXCESSIVE_REASONS = "excessive_reasons"  # 说明理由告知书, Art. 35
    EXTENSION = "extension"  # 延期答复告知书, Art. 33
    THIRD_PARTY_REQUEST = "third_party_request"  # 征求第三方意见书, Art. 32
    THIRD_PARTY_APPLICANT_NOTICE = "third_party_applicant_notice"  # 告知申请人征求第三方意见
    THIRD_PARTY_DECISION_NOTICE = "third_party_decision_notice"  # 向第三方告知公开决定, Art. 32
    AGENCY_CONSULTATION = "agency_consultation"  # 征求意见函, Art. 34
    FEE_NOTICE = "fee_notice"  # 收费通知书, Art. 42
    TRANSFER = "transfer"  # 告知另向他机关申请, Art. 36(5)
    REPLY = "reply"  # 答复书, Art. 36-39

    @property
    def label(self) -> str:
        """The document's default title (Chinese), as Django choices name it."""
        return defaults.TITLES[self.value]


# The letters that state the applicant's (or third party's) remedies and name who hears them.
REMEDY_KINDS = frozenset({LetterKind.REPLY, LetterKind.TRANSFER, LetterKind.THIRD_PARTY_DECISION_NOTICE})


class LetterTemplateError(ValueError):
    """The letter cannot be produced from this template; the message (Chinese) says why."""


class LetterDataError(LetterTemplateError):
    """A fact the letter must state is missing or out of its legal range."""


FIELD_LABELS = {
    "agency_name": gettext_lazy("机关名称"),
    "agency_short": gettext_lazy("机关简称"),
    "office_phone": gettext_lazy("联系电话"),
    "office_address": gettext_lazy("联系地址"),
    "letter_no": gettext_lazy("文号"),
    "applicant_name": gettext_lazy("申请人"),
    "tracking_no": gettext_lazy("申请编号"),
    "query_code": gettext_lazy("查询码"),
    "received_on": gettext_lazy("收到申请日期"),
    "description": gettext_lazy("所需信息的描述"),
    "outcome": gettext_lazy("处理结果"),
    "reasons": gettext_lazy("理由或说明"),
    "withheld_parts": gettext_lazy("不予公开的内容及理由"),
    "provided_how": gettext_lazy("提供方式"),
    "published_where": gettext_lazy("获取途径"),
    "due_on": gettext_lazy("答复期限"),
    "due_note": gettext_lazy("答复期限说明"),
    "correction_items": gettext_lazy("需要补正的事项"),
    "correction_days": gettext_lazy("补正或说明理由的期限（工作日）"),
    "extension_days": gettext_lazy("延长的期限（工作日）"),
    "new_due_on": gettext_lazy("延长后的答复期限"),
    "third_party_name": gettext_lazy("第三方"),
    "consultation_days": gettext_lazy("提出意见的期限（工作日）"),
    "fee_amount": gettext_lazy("收费金额"),
    "fee_basis": gettext_lazy("收费依据和标准"),
    "fee_how_to_pay": gettext_lazy("缴费方式"),
    "fee_pay_by": gettext_lazy("缴费截止日期"),
    "other_agency_name": gettext_lazy("其他机关名称"),
    "other_agency_contact": gettext_lazy("其他机关联系方式"),
    "reconsideration_body": gettext_lazy("行政复议机关"),
    "reconsideration_address": gettext_lazy("行政复议机关地址"),
    "court": gettext_lazy("管辖人民法院"),
    "court_address": gettext_lazy("人民法院地址"),
    "letter_date": gettext_lazy("成文日期"),
    "items": gettext_lazy("分项答复的各项"),
}


@dataclass
class LetterContext:
    """What a letter may say; the field names are the variables templates use."""

    agency_name: str = ""
    agency_short: str = ""
    office_phone: str = ""
    office_address: str = ""
    letter_no: str = ""  # e.g. 江教公复〔2026〕12号
    applicant_name: str = ""
    tracking_no: str = ""
    query_code: str = ""
    received_on: date | None = None
    description: str = ""  # of the information requested
    outcome: str = ""  # an outcome code (reply letters)
    reasons: str = ""  # may hold several lines: each becomes a paragraph
    withheld_parts: list[tuple[str, str]] = field(default_factory=list)  # (part, ground text)
    provided_how: str = ""
    published_where: str = ""  # where proactively published information is found (Art. 36(1))
    due_on: date | None = None
    due_note: str = ""  # replaces the standard explanation of the reply deadline on receipts
    correction_items: list[str] = field(default_factory=list)
    correction_days: int = 15  # period to correct (Art. 30) or give reasons (Art. 35)
    correction_late: bool = False  # sent after the 7-day window: the reply period runs on (due_on)
    extension_days: int = 20
    new_due_on: date | None = None
    third_party_name: str = ""
    consultation_days: int = 15  # Art. 32 and 34
    fee_amount: Decimal = Decimal("0")
    fee_basis: str = ""
    fee_how_to_pay: str = ""
    fee_pay_by: date | None = None
    other_agency_name: str = ""
    other_agency_contact: str = ""
    reconsideration_body: str = ""  # e.g. 江州市人民政府
    reconsideration_address: str = ""
    court: str = ""  # e.g. 江州市滨江区人民法院
    court_address: str = ""
    letter_date: date | None = None  # today (Asia/Shanghai) when not given
    # A reply item by item (分项答复): one dict per item, in order, with ``description``,
    # ``outcome``, ``reasons``, ``provided_how``, ``withheld_parts`` and ``other_agency_name``;
    # ``outcome`` is then the application's single outcome (services/items.py).
    items: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- template filters

register = Library()


@register.filter
def cn_date(value) -> str:
    """2026年11月29日 (no leading zeros); empty for no date."""
    if isinstance(value, datetime):
        value = value.astimezone(TZ).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


@register.filter
def money(value) -> str:
    """An amount in yuan with two decimals: 1200.00."""
    try:
        return f"{Decimal(value):.2f}"
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


# ---------------------------------------------------------------- templates

MAX_CHARACTERS = 100_000  # some 80 pages: more is a mistake, and would tie up a worker
BLOCKS_REQUIRED = ("title", "body", "seal")
BLOCKS_OPTIONAL = ("letter_no", "addressee")
FORBIDDEN_NODES = (DebugNode, IncludeNode, ExtendsNode, URLNode, CsrfTokenNode, LoadNode)
_INVALID = f"\x00{secrets.token_hex(8)}:%s\x00"  # what an unknown field renders as
_INVALID_RE = re.compile(re.escape(_INVALID).replace("%s", "(.*?)"))
# Characters XML (DOCX) cannot hold and PDF text should not carry.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@functools.cache
def _engine() -> Engine:
    return Engine(
        loaders=[("django.template.loaders.locmem.Loader", {})],
        libraries={},
        builtins=["gongkai.applications.letters"],
        autoescape=False,
        string_if_invalid=_INVALID,
        debug=True,  # keeps line numbers for error messages
    )


def default_template(kind: str, outcome: str = "") -> str:
    """The default template of a kind; for a reply, of one outcome, or (none given) of all outcomes."""
    kind = LetterKind(kind)
    if kind is LetterKind.REPLY:
        if outcome and outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome code {outcome!r}")
        return defaults.reply_template(outcome)
    return defaults.kind_template(kind.value)


def check_template(kind: str, template_text: str, outcome: str = "") -> RenderedLetter:
    """Renders an edited template with sample data (a reply template for each outcome it may serve),
    raising LetterTemplateError when it is broken; returns the first rendering as a preview."""
    kind = LetterKind(kind)
    outcomes = [outcome] if outcome or kind is not LetterKind.REPLY else list(OUTCOMES)
    previews = [render_letter(kind, sample_context(code or "disclosed"), template_text) for code in outcomes]
    return previews[0]


def render_letter(kind: str, ctx: LetterContext, template_text: str | None = None) -> RenderedLetter:
    """The letter's text from the template (the default one when none is given) and the context."""
    kind = LetterKind(kind)
    if kind is LetterKind.REPLY and ctx.outcome not in OUTCOMES:
        raise ValueError(f"a reply needs an outcome code, got {ctx.outcome!r}")
    missing = missing_fields(kind, ctx)
    if missing:
        raise LetterDataError(_("信函缺少必须写明的内容：%(fields)s") % {"fields": "、".join(missing)})
    if template_text is None:
        items = kind is LetterKind.REPLY and ctx.items
        template_text = defaults.reply_items_template() if items else default_template(kind, ctx.outcome)
    letter = _render(template_text, ctx)
    if kind in REMEDY_KINDS:
        _check_remedy(letter, ctx, kind)
    return letter


def missing_fields(kind: str, ctx: LetterContext) -> list[str]:
    """Labels of what the law requires this letter to state and the context lacks or has out of range."""
    kind = LetterKind(kind)
    wanted = ["agency_name"]
    addressed = {
        LetterKind.THIRD_PARTY_REQUEST: "third_party_name",
        LetterKind.THIRD_PARTY_DECISION_NOTICE: "third_party_name",
        LetterKind.AGENCY_CONSULTATION: "other_agency_name",
    }
    wanted.append(addressed.get(kind, "applicant_name"))
    if kind is not LetterKind.REGISTER_FORM:
        wanted.append("received_on")
    wanted += {
        LetterKind.CORRECTION: ["correction_items"],
        LetterKind.THIRD_PARTY_DECISION_NOTICE: ["reasons"],
        # fee_pay_by is known only once the applicant's receipt is recorded: not required.
        LetterKind.FEE_NOTICE: ["fee_amount", "fee_basis"],
    }.get(kind, [])
    wanted += remedy_fields(kind, remedy_outcome(ctx))
    if kind is LetterKind.REPLY and not ctx.items:  # each item's facts are checked when recorded
        wanted += {"partially_disclosed": ["withheld_parts"], "other": ["reasons"]}.get(ctx.outcome, [])
    missing = [name for name in wanted if not getattr(ctx, name)]
    in_range = {
        "correction_days": ctx.correction_days > 0,
        "consultation_days": ctx.consultation_days > 0,
        # Art. 33: the extension is at most 20 working days.
        "extension_days": 0 < ctx.extension_days <= 20,
    }
    checked = {
        LetterKind.CORRECTION: ["correction_days"],
        LetterKind.EXCESSIVE_REASONS: ["correction_days"],
        LetterKind.EXTENSION: ["extension_days"],
        LetterKind.THIRD_PARTY_REQUEST: ["consultation_days"],
        LetterKind.THIRD_PARTY_APPLICANT_NOTICE: ["consultation_days"],
        LetterKind.AGENCY_CONSULTATION: ["consultation_days"],
    }.get(kind, [])
    missing += [name for name in checked if not in_range[name]]
    return [str(FIELD_LABELS[name]) for name in missing]


def remedy_fields(kind: str, outcome: str = "") -> list[str]:
    """The remedy facts a letter names: the reconsideration body with its address in every letter
    stating remedies, and the court with its address where a suit is open without reconsideration
    first (every outcome but a refusal to disclose, Reconsideration Law Art. 23)."""
    kind = LetterKind(kind)
    if kind not in REMEDY_KINDS:
        return []
    body = ["reconsideration_body", "reconsideration_address"]
    if kind is LetterKind.REPLY and outcome in RECONSIDERATION_FIRST:
        return body
    return body + ["court", "court_address"]


def remedy_outcome(ctx: LetterContext) -> str:
    """The outcome whose remedies the letter states: its own, or for a reply item by item the one
    its items' outcomes call for (``letter_templates.items_remedy_outcome``)."""
    if ctx.items:
        return defaults.items_remedy_outcome([item["outcome"] for item in ctx.items])
    return ctx.outcome


_FIRST_RE = re.compile("应当先[^。；]*行政复议")


def _check_remedy(letter: RenderedLetter, ctx: LetterContext, kind: "LetterKind") -> None:
    """An edited letter may not drop the remedies, the bodies that hear them or their addresses,
    nor tell the applicant to go to reconsideration first where the law leaves them the choice."""
    text = letter.text()
    outcome = remedy_outcome(ctx)
    named = [getattr(ctx, name) for name in remedy_fields(kind, outcome)]
    first_only = kind is LetterKind.REPLY and outcome in RECONSIDERATION_FIRST
    wrongly_first = not first_only and outcome not in RECONSIDERATION_FIRST_IN_PART and _FIRST_RE.search(text)
    if "行政复议" not in text or any(value not in text for value in named) or wrongly_first:
        if first_only:
            message = _(
                "答复须告知申请人应当先申请行政复议（《中华人民共和国行政复议法》第二十三条），"
                "并写明行政复议机关“%(body)s”及其地址。"
            )
        else:
            message = _(
                "须告知申请人可以申请行政复议，也可以直接提起行政诉讼，并写明行政复议机关“%(body)s”、"
                "人民法院“%(court)s”及其地址；不得要求申请人先申请行政复议。"
            )
        raise LetterTemplateError(message % {"body": ctx.reconsideration_body, "court": ctx.court})


def _compile(template_text: str):
    try:
        template = _engine().from_string(template_text)
    except TemplateSyntaxError as exc:
        line = getattr(exc, "template_debug", {}).get("line")
        where = _("（第%(line)s行）") % {"line": line} if line else ""
        raise LetterTemplateError(
            _("信函模板有语法错误%(where)s：%(error)s") % {"where": where, "error": exc}
        ) from exc
    for node_type in FORBIDDEN_NODES:
        if template.nodelist.get_nodes_by_type(node_type):
            raise LetterTemplateError(
                _("信函模板中不能使用 %(tag)s 标签。")
                % {"tag": node_type.__name__.removesuffix("Node").lower()}
            )
    blocks = {}
    for node in template.nodelist:
        if isinstance(node, BlockNode):
            if node.name not in BLOCKS_REQUIRED + BLOCKS_OPTIONAL:
                raise LetterTemplateError(_("信函模板中有未知区块“%(name)s”。") % {"name": node.name})
            blocks[node.name] = node
        elif not isinstance(node, CommentNode) and not (isinstance(node, TextNode) and not node.s.strip()):
            raise LetterTemplateError(_("信函模板的文字和标签须写在 {%% block %%} 区块之内。") % {})
    absent = [name for name in BLOCKS_REQUIRED if name not in blocks]
    if absent:
        raise LetterTemplateError(_("信函模板缺少区块：%(names)s") % {"names": "、".join(absent)})
    return template, blocks


def _clean(value):
    """Context values as letters print them: one-line strings collapsed, control characters gone."""
    if isinstance(value, str):
        return " ".join(_CONTROL_RE.sub("", value).split())
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


_QUOTE_END = "。．.；;，,、：: "


def quotable(text: str) -> str:
    """The applicant's description as letters quote it inside “…” in a sentence (GB/T 15834-2011,
    4.1.3 and 4.5.3): the sentence-final stop, comma or colon it ends with goes (the letter's
    own sentence ends after the closing quote, so no “…计划。”。), a question or exclamation
    mark stays; quotation marks inside become the inner pair ‘…’."""
    text = text.rstrip(_QUOTE_END)
    return text.replace("“", "‘").replace("”", "’")


# A number the clerk typed before a list item ("1." "1、" "(1)" "（一）" "一、" "①"): the
# templates number items themselves, so "1. 某文件" must not print as "（1）1. 某文件".
_ITEM_NUMBER_RE = re.compile(
    r"^\s*(?:[(（]\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]"
    r"|\d{1,3}\s*(?:[.．](?!\d)|[、)）])|[一二三四五六七八九十]{1,3}\s*[、.．]|[①-⑳])\s*"
)


def item_text(text: str) -> str:
    """A list item without the number the clerk typed before it."""
    return _ITEM_NUMBER_RE.sub("", text, count=1)


def _items_data(items: list[dict]) -> dict:
    """The items of a reply as its template reads them (numbered 一、二、…, cleaned like the
    letter's own fields) and which of them go to reconsideration first (``items_first_what``,
    e.g. "第二项的决定和第三项中不予公开部分的决定"; ``items_all_first`` when every item does)."""
    rows, named, first = [], [], 0
    for n, item in enumerate(items, start=1):
        number = defaults.cn_number(n)
        outcome = item.get("outcome", "")
        rows.append(
            {
                "number": number,
                "outcome": outcome,
                "description": quotable(_clean(item.get("description", ""))),
                "reasons": "\n".join(_clean(line) for line in str(item.get("reasons", "")).splitlines()),
                "provided_how": _clean(item.get("provided_how", "")),
                "withheld_parts": [
                    (item_text(_clean(part)), _clean(ground))
                    for part, ground in item.get("withheld_parts", [])
                ],
                "other_agency_name": _clean(item.get("other_agency_name", "")),
            }
        )
        if outcome in RECONSIDERATION_FIRST:
            named.append(_("第%(n)s项的决定") % {"n": number})
            first += 1
        elif outcome in RECONSIDERATION_FIRST_IN_PART:
            named.append(_("第%(n)s项中不予公开部分的决定") % {"n": number})
    what = "、".join(named[:-1]) + _("和") + named[-1] if len(named) > 1 else "".join(named)
    return {"items": rows, "items_first_what": what, "items_all_first": bool(items) and first == len(items)}


def _render(template_text: str, ctx: LetterContext) -> RenderedLetter:
    template, blocks = _compile(template_text)
    data = {name: _clean(value) for name, value in asdict(ctx).items()}
    data["correction_items"] = [item_text(item) for item in data["correction_items"]]
    data["withheld_parts"] = [(item_text(part), ground) for part, ground in data["withheld_parts"]]
    data["description"] = quotable(data["description"])
    data["reasons"] = "\n".join(_clean(line) for line in ctx.reasons.splitlines())
    data["letter_date"] = ctx.letter_date or datetime.now(TZ).date()
    data.update(_items_data(ctx.items))
    context = Context(data, autoescape=False)
    rendered = {}
    try:
        with context.render_context.push_state(template), context.bind_template(template):
            for name, node in blocks.items():
                rendered[name] = node.nodelist.render(context)
    except Exception as exc:  # an edited template is data: any failure is the editor's to fix
        raise LetterTemplateError(_("信函模板无法生成：%(error)s") % {"error": exc}) from exc
    if sum(len(text) for text in rendered.values()) > MAX_CHARACTERS:
        raise LetterDataError(_("信函过长，超过%(n)s字。") % {"n": MAX_CHARACTERS})
    unknown = sorted({m.group(1) for text in rendered.values() for m in _INVALID_RE.finditer(text)})
    if unknown:
        raise LetterTemplateError(_("信函模板中有未知字段：%(names)s") % {"names": "、".join(unknown)})

    def lines(name: str) -> list[str]:
        text = _CONTROL_RE.sub("", rendered.get(name, "").replace("\r", ""))
        return [line.strip() for line in text.split("\n") if line.strip()]

    title = " ".join(lines("title"))
    if not title:
        raise LetterTemplateError(_("信函标题不能为空。"))
    addressee = " ".join(lines("addressee")).rstrip(":：")
    body = lines("body")
    return RenderedLetter(
        title=title,
        letter_no=" ".join(lines("letter_no")) if "letter_no" in blocks else _clean(ctx.letter_no),
        paragraphs=([addressee + "："] if addressee else []) + body,
        seal_lines=lines("seal"),
    )


def sample_context(outcome: str = "disclosed") -> LetterContext:
    """A filled-in context for previews and template checks."""
    return LetterContext(
        agency_name="江州市教育局",
        agency_short="江教",
        office_phone="0576-88880000",
        office_address="江州市滨江区人民路1号",
        letter_no="江教公复〔2026〕12号",
        applicant_name="张三",
        tracking_no="JZJY-2026-000012",
        query_code="K7P3-Q9XD",
        received_on=date(2026, 11, 2),
        description="2025年度江州市义务教育经费使用情况",
        outcome=outcome,
        reasons="（此处写明具体理由或说明）",
        withheld_parts=[("学生个人信息", withheld_ground_text("withheld_third_party"))],
        provided_how="电子邮件",
        due_on=date(2026, 11, 30),
        correction_items=["请写明所需信息的名称、文号或者其他特征性描述"],
        new_due_on=date(2026, 12, 28),
        third_party_name="江州市某某科技有限公司",
        fee_amount=Decimal("100"),
        fee_basis="按件计收：本月第11件起每件100元",
        fee_how_to_pay="持本通知书到本机关财务室缴纳",
        fee_pay_by=date(2026, 12, 28),
        other_agency_name="江州市财政局",
        other_agency_contact="0576-88881111",
        reconsideration_body="江州市人民政府",
        reconsideration_address="江州市滨江区人民路1号市民中心",
        court="江州市滨江区人民法院",
        court_address="江州市滨江区法院路8号",
        letter_date=date(2026, 11, 29),
    )


def receipt_pdf(ctx: LetterContext, template_text: str | None = None) -> bytes:
    """The applicant's printable receipt after submitting: tracking number, query code, deadlines."""
    missing = [
        str(FIELD_LABELS[n]) for n in ("agency_name", "tracking_no", "query_code") if not getattr(ctx, n)
    ]
    if missing:
        raise LetterDataError(_("回执缺少：%(fields)s") % {"fields": "、".join(missing)})
    return letter_pdf(_render(template_text or defaults.SUBMISSION_RECEIPT, ctx))
