"""A labelled corpus of whole documents in the forms agencies publish, for the pre-scan's
precision and recall per kind (issue 17: "on a labelled set built from realistic document
formats (notices, decisions, tenders, lists), not only on templates").

``build(n, seed)`` returns documents of five families, each a whole text as a text extractor
gives it (paragraphs, tables with tab- or space-separated cells, numbers wrapped over lines):

- 公告 (notices): a licensing or inspection result with the companies concerned (names and
  credit codes: public, not findings), a citizen contact, the agency's own contact block;
- 决定书 (administrative penalty decisions): the party's name, identity number (plain, grouped
  with hyphens or spaces, × for X, broken over a line), address and telephones, an individual
  business's 经营者, the facts with amounts and dates, the agency's address and telephone;
- 招标公告 / 中标公告 (tenders and awards): purchaser (an agency: its contacts are known),
  agent company, project numbers, the agent's contact person and telephone, the project leader;
- 名单 / 公示 (lists): relief recipients, subsidy payments (bank cards), qualification lists,
  as tables under a header (姓名, 身份证号码 with 15- and 18-digit numbers, 家庭住址), some with
  identity numbers already masked;
- 联系方式 blocks: dotted and grouped mobiles (139.1234.5678), numbers wrapped by the layout.

Every piece of personal data is labelled with its kind and offsets; what is not personal data
(the agencies' own telephones, faxes, e-mails and addresses, which are in ``DIRECTORY``; credit
codes; document, index, project and registration numbers; dates, amounts, postcodes; names
already anonymised) is not. The values are fake but valid: identity numbers with their check
character and a real birth date, credit codes with theirs, card numbers passing Luhn. The same
seed gives the same corpus.

Scoring (``evaluate``) is that of the sample (make_scan_sample.py): a finding matches a label of
its kind when it covers exactly the labelled text; names and addresses when they overlap it.
"""

import random
from dataclasses import dataclass, field

from gongkai.core.scan import scan_text
from gongkai.core.tests.make_scan_sample import Gen, Score, _matches

SEED = 20261207

# The fake directory: agencies with their disclosure office's contact details. ``known_values``
# is what gongkai.agencies.selectors.public_contact_values would return for it.
DIRECTORY = (
    (
        "江州市市场监督管理局",
        "0792-8221234",
        "0792-8221235",
        "jzscjg@jiangzhou.gov.cn",
        "江西省江州市浔阳区长虹大道88号",
    ),
    ("江州市教育局", "0792-8256600", "0792-8256601", "jyj@jiangzhou.gov.cn", "江州市濂溪区前进东路296号"),
    ("江州市民政局", "0792-8123456", "0792-8123457", "mzj@jiangzhou.gov.cn", "江西省江州市浔阳区庐山南路5号"),
    ("浔阳区人民政府", "0792-8578000", "0792-8578001", "xyqzf@xunyang.gov.cn", "江州市浔阳区湓浦路100号"),
    (
        "江州市公共资源交易中心",
        "0792-8899123",
        "0792-8899124",
        "jzggzy@jiangzhou.gov.cn",
        "江州市八里湖新区长江大道1号",
    ),
    (
        "江州市人力资源和社会保障局",
        "0792-8122333",
        "0792-8122334",
        "rsj@jiangzhou.gov.cn",
        "江州市濂溪区十里大道158号",
    ),
)


def known_values() -> frozenset[str]:
    return frozenset(v for _, *contacts in DIRECTORY for v in contacts)


COMPANIES = (
    "江州市恒通建设工程有限公司",
    "江西瑞丰食品有限公司",
    "江州市鑫源商贸有限责任公司",
    "江州华康医疗器械有限公司",
    "江西长江建筑劳务有限公司",
    "江州市绿源农业科技有限公司",
    "江州市诚信招标代理有限公司",
    "江西中正项目管理咨询有限公司",
)
SHOPS = ("江州市浔阳区老王副食店", "濂溪区好运来餐馆", "浔阳区鑫鑫便利店", "江州市小李烟酒店")
VILLAGES = ("新港镇桂林村", "赛阳镇新华村", "高垅乡红光村", "姑塘镇和平村", "莲花镇团结村")
MINORITY_NAMES = ("阿依古丽·买买提", "古丽娜尔·吐尔逊", "艾尔肯·阿不都")


@dataclass
class Doc:
    """A document being written: its text and its labels (kind, start, end)."""

    family: str
    parts: list[str] = field(default_factory=list)
    labels: list[tuple[str, int, int]] = field(default_factory=list)
    size: int = 0

    def add(self, *pieces: str | tuple[str, str]) -> "Doc":
        for piece in pieces:
            if isinstance(piece, tuple):
                kind, value = piece
                self.labels.append((kind, self.size, self.size + len(value)))
                piece = value
            self.parts.append(piece)
            self.size += len(piece)
        return self

    def case(self) -> dict:
        text = "".join(self.parts)
        expected = [{"kind": k, "start": s, "end": e, "text": text[s:e]} for k, s, e in self.labels]
        return {"family": self.family, "text": text, "expected": expected}


class Writer(Gen):
    """Gen's valid values, in the spellings documents use."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.rng: random.Random = self.r

    def person(self) -> str:
        return self.pick(MINORITY_NAMES) if self.r.random() < 0.04 else self.name()

    def id_spelled(self) -> str:
        """An identity number as typists write it: mostly plain, sometimes grouped 6-8-4 by
        hyphens or spaces, × or x for X, or broken over a line by the layout."""
        number = self.id_with_x() if self.r.random() < 0.15 else self.id_number()
        form = self.r.random()
        if form < 0.70:
            pass
        elif form < 0.78:
            number = f"{number[:6]}-{number[6:14]}-{number[14:]}"
        elif form < 0.84:
            number = f"{number[:6]} {number[6:14]} {number[14:]}"
        elif form < 0.92:
            cut = self.r.randrange(6, 17)
            number = number[:cut] + "\n" + number[cut:]
        if number.endswith("X") and self.r.random() < 0.5:
            number = number[:-1] + self.pick("×x")
        return number

    def mobile_spelled(self) -> str:
        number = self.mobile()
        form = self.r.random()
        if form < 0.70:
            return number
        if form < 0.78:
            return f"{number[:3]}-{number[3:7]}-{number[7:]}"
        if form < 0.84:
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        if form < 0.90:
            return f"{number[:3]}.{number[3:7]}.{number[7:]}"
        if form < 0.95:
            return "+86 " + number
        cut = self.r.randrange(3, 9)
        return number[:cut] + "\n" + number[cut:]

    def landline_spelled(self) -> str:
        area, local = self.landline()
        return self.pick((f"{area}-{local}", f"（{area}）{local}", f"{area}-{local}"))

    def agency(self) -> tuple[str, str, str, str, str]:
        return self.pick(DIRECTORY)

    def agency_contact_block(self, doc: Doc, agency) -> None:
        """The agency's own contact details, as notices end: known, not findings."""
        name, phone, fax, email, address = agency
        style = self.r.random()
        phone_written = phone if style < 0.5 else "（" + phone.replace("-", "）")
        if style < 0.4:
            doc.add(f"\n联系单位：{name}\n联系电话：{phone_written}\n传真：{fax}\n电子邮箱：{email}\n")
        elif style < 0.7:
            doc.add(f"\n监督电话：{phone_written}，通讯地址：{address}，邮政编码：332000。\n")
        else:
            doc.add(f"\n{name}地址：{address}；咨询电话：{phone_written}；邮箱：{email}。\n")

    def company(self) -> tuple[str, str]:
        return self.pick(COMPANIES), self.uscc()

    def money(self) -> str:
        return f"{self.r.randrange(1, 900)},{self.r.randrange(0, 1000):03d}.{self.r.randrange(0, 100):02d}元"

    def day(self) -> str:
        return f"2026年{self.r.randrange(1, 13)}月{self.r.randrange(1, 29)}日"


# ---------------------------------------------------------------- families


def notice(w: Writer) -> Doc:
    agency = w.agency()
    doc = Doc("notice")
    doc.add(
        f"{agency[0]}关于{w.pick(('2026年度食品经营许可', '第二批建筑业企业资质', '民办培训机构年检'))}结果的公告\n"
    )
    doc.add(f"索引号：{w.uscc()}/2026-{w.r.randrange(1, 99999):05d}  发文字号：{w.doc_no()}\n")
    doc.add("根据《中华人民共和国行政许可法》等有关规定，经审查，下列单位符合条件，现予公告：\n")
    for i in range(w.r.randrange(2, 6)):
        name, code = w.company()
        doc.add(f"{i + 1}. {name}（统一社会信用代码：{code}），许可证编号：JY{w.digits(14)}；\n")
    if w.r.random() < 0.5:
        doc.add(f"{len(SHOPS)}. {w.pick(SHOPS)}（经营者：", ("person_name", w.person()), "）；\n")
    doc.add(f"公告期为{w.r.randrange(5, 16)}个工作日（{w.day()}至{w.day()}）。")
    doc.add("如有异议，请以书面形式实名反映。\n")
    if w.r.random() < 0.6:
        doc.add(
            "联系人：", ("person_name", w.person()), "，联系电话：", ("mobile", w.mobile_spelled()), "。\n"
        )
    w.agency_contact_block(doc, agency)
    doc.add(f"\n{agency[0]}\n{w.day()}\n")
    return doc


def decision(w: Writer) -> Doc:
    agency = w.agency()
    doc = Doc("decision")
    doc.add(f"{agency[0]}\n行政处罚决定书\n{w.doc_no()}\n\n")
    if w.r.random() < 0.5:
        doc.add("当事人：", ("person_name", w.person()), f"，性别：{w.pick('男女')}，民族：汉族，")
        doc.add("公民身份号码：", ("id_number", w.id_spelled()), "，\n")
        doc.add("住址：", ("address", w.address()), "，联系电话：", ("mobile", w.mobile_spelled()), "。\n")
    else:
        shop = w.pick(SHOPS)
        doc.add(f"当事人：{shop}\n统一社会信用代码：{w.uscc()}\n")
        doc.add(
            "经营者：", ("person_name", w.person()), "  身份证号码：", ("id_number", w.id_spelled()), "\n"
        )
        doc.add("经营场所：江州市浔阳区湓浦路", f"{w.r.randrange(1, 300)}号\n")
        if w.r.random() < 0.5:
            doc.add("住宅电话：", ("landline", w.landline_spelled()), "\n")
    if w.r.random() < 0.4:  # the party named again in the facts, without a label
        doc.add("\n经查，当事人", ("person_name", w.person()), f"于{w.day()}在")
        doc.add(("address", w.address(room=False)), "销售过期食品。")
    doc.add(
        f"\n{w.day()}，本局执法人员对当事人经营场所进行检查，发现当事人销售的预包装食品超过保质期，"
        f"货值金额{w.money()}，违法所得{w.money()}。上述事实有现场检查笔录、询问笔录、"
        f"{w.pick(('销售记录', '进货单据', '照片'))}等证据为证。\n"
    )
    doc.add(
        "本局认为，当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。"
        f"依据该法第一百二十四条第一款，决定：1.没收违法所得{w.money()}；2.罚款{w.money()}。\n"
        f"当事人应当自收到本决定书之日起十五日内缴纳罚款。逾期不缴纳的，每日按罚款数额的3%加处罚款。\n"
    )
    if w.r.random() < 0.5:  # the treasury's collection account: public, not a person's card
        doc.add(
            f"收款单位：江州市财政局非税收入汇缴结算户，开户银行：中国工商银行江州分行，账号：15072001{w.digits(11)}。\n"
        )
    doc.add(
        f"当事人如不服本决定，可以在收到本决定书之日起六十日内向江州市人民政府申请行政复议，"
        f"或者在六个月内依法向{w.pick(('浔阳区', '濂溪区'))}人民法院提起行政诉讼。\n"
    )
    w.agency_contact_block(doc, agency)
    doc.add(f"\n{agency[0]}\n{w.day()}\n（此件公开发布时已隐去当事人王某某的部分信息）\n")
    return doc


def tender(w: Writer) -> Doc:
    purchaser = w.agency()
    agent, agent_code = w.pick(COMPANIES[-2:]), w.uscc()
    doc = Doc("tender")
    award = w.r.random() < 0.5
    project = w.pick(("2026年中小学校课桌椅采购", "市民政服务中心物业管理服务", "老旧小区改造监理服务"))
    doc.add(f"{project}项目{'中标（成交）结果公告' if award else '公开招标公告'}\n")
    doc.add(f"项目编号：JXJZ-2026-{w.digits(4)}  采购计划备案号：{w.digits(15)}\n")
    doc.add(f"一、采购人信息\n名称：{purchaser[0]}\n地址：{purchaser[4]}\n联系方式：{purchaser[1]}\n")
    doc.add(
        f"二、采购代理机构信息\n名称：{agent}\n统一社会信用代码：{agent_code}\n地址：江州市浔阳区九华门路"
    )
    doc.add(f"{w.r.randrange(1, 200)}号{w.r.randrange(2, 20)}楼\n")
    doc.add("项目联系人：", ("person_name", w.person()), "\n联系电话：", ("landline", w.landline_spelled()))
    if w.r.random() < 0.5:
        doc.add("、", ("mobile", w.mobile_spelled()))
    doc.add("\n")
    if award:
        winner, winner_code = w.company()
        doc.add(f"三、中标信息\n供应商名称：{winner}\n统一社会信用代码：{winner_code}\n")
        doc.add(f"中标金额：{w.money()}（人民币）\n项目负责人：", ("person_name", w.person()), "\n")
        if w.r.random() < 0.5:
            doc.add("四、评审专家名单\n")
            doc.add("序号\t姓名\t专业\n")
            for i in range(w.r.randrange(3, 6)):
                doc.add(
                    f"{i + 1}\t",
                    ("person_name", w.person()),
                    f"\t{w.pick(('工程造价', '教育装备', '物业管理'))}\n",
                )
        else:  # in a sentence, separated by 、
            doc.add("四、评审委员会成员：", ("person_name", w.person()))
            for _ in range(w.r.randrange(2, 5)):
                doc.add("、", ("person_name", w.person()))
            doc.add("（组长）。\n" if w.r.random() < 0.5 else "。\n")
    else:
        doc.add(
            f"三、项目概况\n预算金额：{w.money()}\n最高限价：{w.money()}\n"
            f"获取招标文件时间：{w.day()}至{w.day()}，每天上午9:00至12:00。\n"
        )
    w.agency_contact_block(doc, purchaser)
    return doc


def roster(w: Writer) -> Doc:
    agency = w.agency()
    doc = Doc("list")
    kind = w.r.random()
    if kind < 0.4:
        doc.add(f"{w.pick(VILLAGES)}2026年第{w.r.randrange(1, 5)}季度城乡最低生活保障对象名单公示\n")
        # Tab-separated (a DOCX table saved as text), space-aligned (a PDF table), or one cell a
        # line (the platform's own DOCX extraction).
        sep = w.pick(("    ", "\t", "\n"))
        doc.add(sep.join(("序号", "姓名", "身份证号码", "家庭住址", "保障人数", "月保障金额（元）")) + "\n")
        for i in range(w.r.randrange(4, 12)):
            doc.add(f"{i + 1}{sep}", ("person_name", w.person()), sep)
            if w.r.random() < 0.2:
                number = w.id_number()
                doc.add(f"{number[:6]}********{number[14:]}")  # already masked: not a finding
            elif w.r.random() < 0.15:
                doc.add(("id_number", w.id15()))
            else:
                doc.add(("id_number", w.id_number()))
            village = w.pick(VILLAGES)
            doc.add(sep, ("address", f"{village}{w.r.randrange(1, 15)}组"), sep)
            doc.add(f"{w.r.randrange(1, 6)}{sep}{w.r.randrange(300, 2000)}\n")
        if w.r.random() < 0.5:
            doc.add(
                f"以上对象经{w.pick(VILLAGES)}村民代表评议，现予公示。举报电话：",
                ("mobile", w.mobile_spelled()),
                "（村委会主任",
            )
            doc.add(("person_name", w.person()), "）。\n")
    elif kind < 0.7:
        doc.add(f"{agency[0]}关于2026年耕地地力保护补贴发放情况的公示\n")
        doc.add("序号\t户主\t补贴面积（亩）\t补贴金额（元）\t一卡通账号\n")
        for i in range(w.r.randrange(4, 12)):
            doc.add(
                f"{i + 1}\t", ("person_name", w.person()), f"\t{w.r.randrange(1, 30)}.{w.r.randrange(10)}"
            )
            doc.add(f"\t{w.r.randrange(100, 3000)}.00\t", ("bank_card", w.card(19)), "\n")
    else:
        doc.add(f"{agency[0]}2026年度专业技术人员职称评审通过人员名单公示\n")
        doc.add("序号  姓名  工作单位  评审专业  资格名称\n")
        for i in range(w.r.randrange(4, 12)):
            doc.add(f"{i + 1}  ", ("person_name", w.person()), f"  {w.pick(COMPANIES)}  ")
            doc.add(
                f"{w.pick(('建筑工程', '农业技术', '工程造价'))}  {w.pick(('工程师', '高级工程师', '助理工程师'))}\n"
            )
    doc.add(f"公示期：{w.day()}至{w.day()}。公示期内如有异议，请向{agency[0]}反映。\n")
    w.agency_contact_block(doc, agency)
    return doc


def contacts(w: Writer) -> Doc:
    agency = w.agency()
    doc = Doc("contacts")
    doc.add(f"{agency[0]}关于开展{w.pick(('安全生产大检查', '消费维权宣传周', '防汛救灾'))}工作的通知\n")
    doc.add(f"各有关单位：\n为做好相关工作，现将有关事项通知如下。{w.doc_no()}同时废止。\n")
    for _ in range(w.r.randrange(1, 4)):
        who = w.pick(("负责人", "联系人", "值班人员"))
        if who == "值班人员":
            doc.add(
                f"{who}：", ("person_name", w.person()), "，手机：", ("mobile", w.mobile_spelled()), "；\n"
            )
        elif w.r.random() < 0.5:
            doc.add(f"{who}", ("person_name", w.person()), "，电话", ("mobile", w.mobile_spelled()), "；\n")
        else:
            doc.add(f"{who}：", ("person_name", w.person()), " ", ("mobile", w.mobile_spelled()), "；\n")
    if w.r.random() < 0.3:
        doc.add("报送邮箱：", ("email", w.email().replace("jz.gov.cn", "qq.com")), "。\n")
    doc.add(f"请于{w.day()}前报送。联系人王某某，电话138****5678。\n")
    w.agency_contact_block(doc, agency)
    return doc


FAMILIES = (notice, decision, tender, roster, contacts)


def build(n: int = 400, seed: int = SEED) -> list[dict]:
    """``n`` documents, the families in turn."""
    w = Writer(seed)
    return [FAMILIES[i % len(FAMILIES)](w).case() for i in range(n)]


def evaluate(cases: list[dict], *, known: frozenset[str] | None = None) -> Score:
    """Precision and recall per kind of ``scan_text(text, known=known)`` on ``cases``."""
    score = Score()
    for case in cases:
        findings = scan_text(case["text"], known=known)
        used: set[int] = set()
        for label in case["expected"]:
            span = (label["kind"], label["start"], label["end"])
            hit = next(
                (i for i, f in enumerate(findings) if i not in used and _matches(span[0], span, f)), None
            )
            if hit is None:
                score.fn[span[0]] += 1
                score.misses.append((case["family"], "FN", span[0], label["text"], case["text"]))
            else:
                used.add(hit)
                score.tp[span[0]] += 1
        for i, finding in enumerate(findings):
            if i not in used:
                score.fp[finding.kind] += 1
                score.misses.append((case["family"], "FP", finding.kind.value, finding.text, case["text"]))
    return score


def report() -> None:
    """The table, then every miss with its context."""
    result = evaluate(build(), known=known_values())
    print(result.table())
    for family, what, kind, text, context in result.misses:
        start = max(0, context.find(text) - 40)
        print(f"{what} {kind:<13} [{family}] {text!r} in {context[start : start + 100]!r}")


if __name__ == "__main__":  # python -m gongkai.core.tests.scan_documents
    report()
