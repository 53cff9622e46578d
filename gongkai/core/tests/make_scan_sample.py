"""Writes the pre-scan's labelled sample: ``python -m gongkai.core.tests.make_scan_sample``;
with ``--report``, scores the scanner on it instead (precision and recall per kind, the misses).

Each line of ``data/scan_sample.jsonl`` is ``{"text", "expected": [{"kind", "text"}], "tag"}``:
a passage in the style of government documents (applications, penalty decisions, relief lists,
notices, procurement announcements, document headers), with every secrecy mark and every piece
of personal data in it labelled, including names and addresses the scanner is not expected to
find (its recall for those is reported, not assumed). Hard negatives (document numbers, dates,
amounts, index numbers, ISBNs, codes with bad checksums…) have no labels. Sentences of the real
government work reports in the project's corpus copy are added as negatives too.

Valid ID numbers, credit codes and card numbers are made with the project's checksum functions
from a fixed seed, so the output is the same on every run; it is committed, and a test checks
that it is what this script writes.

Scoring: a finding matches a label of the same kind when it covers exactly the labelled text;
names and addresses (low-confidence kinds, whose edges are a matter of judgement) match when they
overlap it.

Kept as one module on purpose (over 500 lines): the labelled passages are data that the writer and
the scorer share.
"""

import json
import lzma
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from gongkai.core.checksums import id_number_check_char, org_code_check_char, uscc_check_char
from gongkai.core.scan import Kind, scan_text

HERE = Path(__file__).resolve().parent
OUT = HERE / "data" / "scan_sample.jsonl"
CORPUS_XZ = HERE.parents[1] / "catalogue" / "tests" / "data" / "gov_work_reports.jsonl.xz"
SEED = 20240305

USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DIVISIONS = (
    "110101 110102 110105 120101 130102 140105 210102 220102 310101 310104 320102 320583 330106 "
    "340104 340111 350203 360402 360403 370202 410105 420106 430104 440106 440305 450103 500103 "
    "510107 520102 530102 610113 620102 650102"
).split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
COMPOUND = ("欧阳", "司马", "上官", "诸葛")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉兰文斌海燕鹏飞晓东慧颖宇航"
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 145 147 150 151 152 153 155 156 157 158 159 166 "
    "170 171 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 198 199"
).split()
AREA_CODES = "010 020 021 022 023 024 025 027 028 029 0351 0371 0431 0451 0531 0551 0571 0591 0731 0791 0792 0851 0871 0931 0991".split()
CARD_BINS = ("622202", "622848", "621700", "622588", "623668", "621483", "625965", "622700", "621226")
FOREIGN_BINS = ("436742", "512425", "402674", "524047", "356833")
PROVINCES = (
    ("江西省", "九江市", "浔阳区"),
    ("安徽省", "合肥市", "蜀山区"),
    ("湖北省", "武汉市", "武昌区"),
    ("广东省", "深圳市", "南山区"),
    ("四川省", "成都市", "青羊区"),
    ("浙江省", "杭州市", "西湖区"),
    ("江苏省", "南京市", "玄武区"),
    ("山东省", "青岛市", "市南区"),
)
STREETS = (
    "长虹大道",
    "长江西路",
    "解放路",
    "人民路",
    "建设路",
    "中山北路",
    "滨江路",
    "和平街",
    "文化路",
    "胜利巷",
)
ESTATES = ("阳光小区", "锦绣花园", "幸福家园", "翠湖公寓", "金色新村")
DOMAINS = ("163.com", "126.com", "qq.com", "sina.com", "example.com", "jz.gov.cn", "mail.example.org")
LOCALS = ("zhangwei", "liu.fang", "wangli88", "chenjing_2020", "xinxigongkai", "zfxxgk", "li-ming", "tianhai")
AGENCIES = (
    "江州市人民政府办公室",
    "江州市财政局",
    "江州市自然资源局",
    "江州市生态环境局",
    "浔阳区人民政府",
    "江州市住房和城乡建设局",
)
DOC_PREFIXES = ("江政办发", "江财预", "浔府发", "江自然资发", "国办发", "财预", "江环函")


class Gen:
    """Valid (and nearly valid) values from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def birth(self) -> date:
        return date(1940, 1, 1) + timedelta(days=self.r.randrange(0, 365 * 65))

    def id_number(self) -> str:
        body = self.pick(DIVISIONS) + self.birth().strftime("%Y%m%d") + self.digits(3)
        return body + id_number_check_char(body)

    def id_with_x(self) -> str:
        while True:
            number = self.id_number()
            if number.endswith("X"):
                return number

    def id_bad_check(self) -> str:
        number = self.id_number()
        wrong = self.pick([c for c in "0123456789X" if c != number[-1]])
        return number[:-1] + wrong

    def id_bad_date(self) -> str:
        """Right check character, impossible birth date (30 Feb, month 13, day 32, future)."""
        bad = self.pick(("19900230", "19851301", "20010431", "19990000", "20980101", "20990612"))
        body = self.pick(DIVISIONS) + bad + self.digits(3)
        return body + id_number_check_char(body)

    def id15(self) -> str:
        return self.pick(DIVISIONS) + self.birth().strftime("%y%m%d") + self.digits(3)

    def uscc(self) -> str:
        head = self.pick(("11", "12", "13", "51", "52", "91", "91", "91", "92", "93", "Y1"))
        body8 = "".join(self.pick(USCC_BODY[:10] if self.r.random() < 0.6 else USCC_BODY) for _ in range(8))
        org = body8 + org_code_check_char(body8)
        if org[-1] not in USCC_BODY:
            return self.uscc()
        body = head + self.pick(DIVISIONS) + org
        return body + uscc_check_char(body)

    def uscc_bad(self) -> str:
        code = self.uscc()
        return code[:-1] + self.pick([c for c in USCC_BODY if c != code[-1]])

    @staticmethod
    def luhn_digit(body: str) -> str:
        total = 0
        for i, ch in enumerate(reversed(body)):
            d = int(ch)
            if i % 2 == 0:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        return str((10 - total % 10) % 10)

    def card(self, length: int | None = None, bins=CARD_BINS) -> str:
        length = length or self.pick((16, 16, 19, 19, 18, 17))
        body = self.pick(bins) + self.digits(length - 7)
        return body + self.luhn_digit(body)

    def card_bad_luhn(self, length: int = 19) -> str:
        card = self.card(length)
        return card[:-1] + str((int(card[-1]) + self.r.randrange(1, 10)) % 10)

    def serial_luhn(self, length: int) -> str:
        """Luhn-valid digits starting as serial numbers do (a year, 1/7/8/9): not a card BIN."""
        body = self.pick(("2023", "2024", "1100", "7301", "8800", "9100")) + self.digits(length - 5)
        return body + self.luhn_digit(body)

    def mobile(self) -> str:
        return self.pick(MOBILE_PREFIXES) + self.digits(8)

    def landline(self) -> tuple[str, str]:
        area = self.pick(AREA_CODES)
        local = self.pick("23456789") + self.digits(7 if len(area) == 3 else self.pick((6, 7)))
        return area, local

    def email(self) -> str:
        local = self.pick(LOCALS) + (self.digits(self.r.randrange(0, 4)))
        return f"{local}@{self.pick(DOMAINS)}"

    def passport(self) -> str:
        return self.pick("EG") + self.digits(8)

    def passport_new(self) -> str:
        return "E" + self.pick("ABCDEFGHJKLMNPQRSTUVWXYZ") + self.digits(7)

    def name(self) -> str:
        if self.r.random() < 0.05:
            return (
                self.pick(COMPOUND) + self.pick(GIVEN) + (self.pick(GIVEN) if self.r.random() < 0.5 else "")
            )
        given = self.pick(GIVEN) + (self.pick(GIVEN) if self.r.random() < 0.6 else "")
        return self.pick(SURNAMES) + given

    def address(self, *, room: bool = True) -> str:
        province, city, district = self.pick(PROVINCES)
        head = (province if self.r.random() < 0.5 else "") + city + district
        kind = self.r.random()
        if kind < 0.6:
            tail = f"{self.pick(STREETS)}{self.r.randrange(1, 400)}号"
            if room and self.r.random() < 0.5:
                tail += (
                    f"{self.r.randrange(1, 30)}栋{self.r.randrange(1, 6)}单元{self.r.randrange(101, 2600)}室"
                )
        elif kind < 0.8:
            tail = f"{self.pick(ESTATES)}{self.r.randrange(1, 40)}栋{self.r.randrange(101, 2600)}室"
        else:
            tail = f"{self.pick('东南西北')}湖镇{self.pick(('幸福', '和平', '新华', '红星'))}村{self.r.randrange(1, 15)}组"
        return head + tail

    def doc_no(self) -> str:
        return f"{self.pick(DOC_PREFIXES)}〔{self.r.randrange(2010, 2026)}〕{self.r.randrange(1, 200)}号"

    def date_cn(self) -> str:
        d = date(2015, 1, 1) + timedelta(days=self.r.randrange(0, 3650))
        return f"{d.year}年{d.month}月{d.day}日"


Part = str | tuple[str, str]


def case(tag: str, *parts: Part) -> dict:
    """A sample line from literal text and (kind, value) pieces, labelled in order."""
    text, expected = [], []
    for part in parts:
        if isinstance(part, tuple):
            kind, value = part
            expected.append({"kind": kind, "text": value})
            text.append(value)
        else:
            text.append(part)
    return {"text": "".join(text), "expected": expected, "tag": tag}


# ---------------------------------------------------------------- positives


def grouped(value: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    out, i = [], 0
    for size in sizes:
        out.append(value[i : i + size])
        i += size
    if i < len(value):
        out.append(value[i:])
    return sep.join(out)


def fullwidth(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in value)


def mobile_forms(g: Gen) -> str:
    m = g.mobile()
    return g.pick(
        (
            m,
            m,
            m,
            grouped(m, (3, 4, 4)),
            grouped(m, (3, 4, 4), "-"),
            "+86 " + grouped(m, (3, 4, 4)),
            "86-" + m,
            "+86" + m,
        )
    )


def landline_forms(g: Gen) -> str:
    area, local = g.landline()
    form = g.r.randrange(6)
    value = (
        f"{area}-{local}",
        f"({area}){local}",
        f"（{area}）{local}",
        f"{area} {local}",
        f"+86-{area[1:]}-{local}",
        f"{area}-{local}转{g.r.randrange(100, 9000)}",
    )[form]
    return value


def secrecy_mark(g: Gen) -> str:
    level = g.pick(("绝密", "机密", "秘密"))
    period = g.pick(("5年", "1年", "10年", "20年", "长期", "6个月", "2年", "30年"))
    return g.pick((f"{level}★{period}", f"{level}★{period}", f"{level} ★ {period}", f"{level}★"))


def positives(g: Gen) -> list[dict]:
    cases: list[dict] = []
    add = cases.append
    for _ in range(70):  # disclosure applications (the register form)
        name, idn, mob, addr, mail = g.name(), g.id_number(), mobile_forms(g), g.address(), g.email()
        add(
            case(
                "application",
                "政府信息公开申请表\n申请人姓名：",
                ("person_name", name),
                "\n证件类型：居民身份证\n证件号码：",
                ("id_number", idn),
                "\n联系电话：",
                ("mobile", mob),
                "\n通讯地址：",
                ("address", addr),
                "\n电子邮箱：",
                ("email", mail),
                f"\n所需信息描述：{g.pick(AGENCIES)}{g.r.randrange(2015, 2025)}年度部门预算。",
            )
        )
    for _ in range(50):  # penalty decisions against individuals
        name, idn, addr = g.name(), g.id_number() if g.r.random() < 0.8 else g.id_with_x(), g.address()
        add(
            case(
                "penalty_person",
                f"行政处罚决定书\n{g.doc_no()}\n当事人：",
                ("person_name", name),
                "，性别：男，公民身份号码：",
                ("id_number", idn),
                "，住址：",
                ("address", addr),
                f"。\n经查，当事人于{g.date_cn()}在未取得许可的情况下擅自施工，违反了有关规定。",
            )
        )
    for _ in range(50):  # penalty decisions against companies
        code, legal, addr = g.uscc(), g.name(), g.address(room=False)
        add(
            case(
                "penalty_company",
                "当事人：江州市恒达建材有限公司\n统一社会信用代码：",
                ("uscc", code),
                "\n法定代表人：",
                ("person_name", legal),
                "\n地址：",
                # A company's address is not personal data (issue 17) unless it is somebody's
                # home: a flat, a village group (a company registered where its owner lives).
                ("address", addr) if re.search(r"室|[0-9]组|小区|公寓|花园|家园|新村|村", addr) else addr,
                f"\n你单位于{g.date_cn()}超标排放大气污染物，罚款人民币{g.r.randrange(2, 50)}万元。",
            )
        )
    for i in range(60):  # relief payment lists: table rows, names without labels
        name, idn, card = g.name(), g.id_number(), g.card()
        shown = grouped(card, (4, 4, 4, 4)) if g.r.random() < 0.3 else card
        add(
            case(
                "relief_row",
                f"{i + 1}\t",
                ("person_name", name),
                "\t",
                ("id_number", idn),
                "\t",
                ("bank_card", shown),
                f"\t{g.r.randrange(300, 3000)}.00\t{g.pick(('城乡低保', '临时救助', '特困供养'))}",
            )
        )
    for _ in range(40):  # notices with a contact person
        name, mail = g.name(), g.email()
        tel, fax = landline_forms(g), landline_forms(g)
        add(
            case(
                "notice_contact",
                f"请各单位于{g.date_cn()}前将材料报送{g.pick(AGENCIES)}。\n联系人：",
                ("person_name", name),
                "，联系电话：",
                ("landline", tel),
                "，传真：",
                ("landline", fax),
                "，邮箱：",
                ("email", mail),
                "。",
            )
        )
    for _ in range(40):  # procurement announcements
        code, tel = g.uscc(), landline_forms(g)
        add(
            case(
                "procurement",
                f"采购人：{g.pick(AGENCIES)}\n联系方式：",
                ("landline", tel),
                "\n中标供应商：江州市信达科技有限公司（统一社会信用代码：",
                ("uscc", code),
                f"）\n中标金额：{g.r.randrange(10, 900)}.{g.r.randrange(10, 99)}万元",
            )
        )
    for _ in range(60):  # secrecy marks in document headers
        mark = secrecy_mark(g)
        add(
            case(
                "header_mark",
                f"{g.r.randrange(1, 200):06d}\n",
                ("secrecy_mark", mark),
                f"\n{g.pick(AGENCIES)}关于做好{g.r.randrange(2019, 2026)}年防汛工作的通知\n{g.doc_no()}\n各县（市、区）人民政府：",
            )
        )
    internal = (
        ("内部资料", "内部资料", "　注意保存"),
        ("内部文件", "内部文件", ""),
        ("仅供内部使用", "仅供内部使用", "，请勿外传"),
        ("不得外传", "不得外传", ""),
        ("注意保密", "注意保密", ""),
        ("【内部】", "内部", ""),
        ("内部", "内部", ""),
        ("密级：秘密", "密级：秘密", ""),
        ("密级：机密★5年", "密级：机密★5年", ""),
        ("此件不公开", "此件不公开", ""),
    )
    for i in range(60):
        shown, label, after = internal[i % len(internal)]
        before, found_after = shown.split(label)
        add(
            case(
                "internal_mark",
                before,
                ("secrecy_mark", label),
                found_after
                + after
                + f"\n{g.pick(AGENCIES)}{g.r.randrange(2019, 2026)}年工作要点（征求意见稿）",
            )
        )
    for _ in range(30):  # marks mid-text
        mark = secrecy_mark(g)
        add(
            case(
                "inline_mark",
                "附件2的密级标注为“",
                ("secrecy_mark", mark),
                "”，请按涉密文件管理规定办理，",
                ("secrecy_mark", "不得外传"),
                "。",
            )
        )
    for _ in range(40):  # bank accounts
        card = g.card(bins=CARD_BINS + FOREIGN_BINS)
        add(
            case(
                "bank_account",
                f"请将补贴资金转入申请人本人账户。\n开户银行：{g.pick(('中国工商银行', '中国农业银行', '中国银行', '中国建设银行', '江州农商银行'))}江州分行\n账号：",
                ("bank_card", grouped(card, (4, 4, 4, 4)) if g.r.random() < 0.4 else card),
            )
        )
    for _ in range(30):  # mobiles in running text
        mob = mobile_forms(g)
        add(
            case(
                "mobile_text",
                "如对本决定有疑问，可拨打",
                ("mobile", mob),
                "咨询，或来人到政务服务中心窗口办理。",
            )
        )
    for _ in range(20):  # full-width digits
        mob, idn = g.mobile(), g.id_number()
        add(
            case(
                "fullwidth",
                "举报人身份证号：",
                ("id_number", fullwidth(idn)),
                "，手机：",
                ("mobile", fullwidth(mob)),
                "。",
            )
        )
    for _ in range(20):  # grouped ID numbers, 15-digit old numbers after a label
        idn = g.id_number()
        add(case("id_grouped", "身份证号码：", ("id_number", grouped(idn, (6, 8, 4))), "（复印件附后）"))
        add(case("id15", "原身份证号：", ("id_number", g.id15()), "（已换发二代证）"))
    for _ in range(25):  # passports
        add(case("passport", "外籍申请人护照号码：", ("passport", g.passport()), "，国籍：加拿大。"))
        add(case("passport_new", "护照号：", ("passport", g.passport_new()), "。"))
    for _ in range(25):  # e-mail in running text, various forms
        mail = g.email()
        add(case("email_text", "申请人可通过电子邮件（", ("email", mail), "）提交补正材料。"))
    for _ in range(20):  # addresses in prose, without a label
        addr = g.address()
        add(case("address_prose", "申请人现居住在", ("address", addr), "，户籍在本市。"))
    for _ in range(20):  # everything in one complaint letter
        name, idn, mob, card = g.name(), g.id_number(), g.mobile(), g.card()
        add(
            case(
                "complaint",
                "投诉人：",
                ("person_name", name),
                "（身份证",
                ("id_number", idn),
                "）反映，其于",
                g.date_cn(),
                "通过手机",
                ("mobile", mob),
                "向银行卡",
                ("bank_card", card),
                f"转账{g.r.randrange(1000, 90000)}元后未收到退款，请求依法处理。",
            )
        )
    cases += harder_positives(g)
    return cases


def harder_positives(g: Gen) -> list[dict]:
    """Forms the rules handle less well, or not at all (names in prose, addresses without a
    house number): labelled all the same, so that the reported recall is honest."""
    cases: list[dict] = []
    add = cases.append
    for _ in range(20):
        name = g.name()
        add(
            case(
                "name_prose",
                "经查，",
                ("person_name", name),
                f"于{g.date_cn()}在本市某小区内违法搭建建筑物。",
            )
        )
    for _ in range(10):
        province, city, district = g.pick(PROVINCES)
        street = g.pick(STREETS)
        add(
            case(
                "address_no_number",
                "受理地点设在",
                ("address", f"{city}{district}{street}"),
                "政务服务中心一楼。",
            )
        )
    for _ in range(15):
        idn = g.id_with_x().lower()
        add(case("id_lower_x", "身份证：", ("id_number", idn), "（小写x）"))
    for _ in range(15):
        area, local = g.landline()
        sep = g.pick(("－", "—", " - "))
        mob = g.mobile()
        add(
            case(
                "two_phones",
                "咨询电话：",
                ("landline", f"{area}{sep}{local}"),
                "、",
                ("mobile", mob),
                "（工作日）",
            )
        )
    for _ in range(15):
        mob = g.mobile()
        add(case("mobile_parens", f"请{g.pick(SURNAMES)}先生（", ("mobile", mob), "）于三日内到窗口领取。"))
    for _ in range(15):
        local = g.pick(("Zhang.Wei+gk", "LIMING", "gk_office-01", "a.b.c"))
        domain = g.pick(("mail.jz.gov.cn", "Example.COM", "sub.dept.gov.cn"))
        add(case("email_forms", "来信请寄：", ("email", f"{local}@{domain}"), "；"))
    for _ in range(15):
        level = g.pick(("機密", "絕密", "秘密"))
        period = g.pick(("5年", "長期", "1年"))
        add(
            case(
                "traditional_mark",
                "",
                ("secrecy_mark", f"{level}★{period}"),
                "\r\n關於加強政務公開工作的通知\r\n",
            )
        )
    for _ in range(10):
        add(
            case(
                "mark_crlf",
                "",
                ("secrecy_mark", g.pick(("秘密", "内部", "机密"))),
                "\r\n江州市人民政府文件\r\n",
            )
        )
    for _ in range(10):
        passport = g.passport()
        add(case("passport_bare", "出入境证件：", ("passport", passport), "（有效期至2030年）"))
    for _ in range(10):
        add(
            case(
                "registration_form",
                "姓名\t",
                ("person_name", g.name()),
                "\t性别\t女\n身份证号\t",
                ("id_number", g.id_number()),
                "\n手机号码\t",
                ("mobile", g.mobile()),
            )
        )
    return cases


# ---------------------------------------------------------------- hard negatives


def negatives(g: Gen) -> list[dict]:
    cases: list[dict] = []

    def add(tag: str, make: Callable[[], str], n: int) -> None:
        for _ in range(n):
            cases.append({"text": make(), "expected": [], "tag": tag})

    add(
        "doc_no",
        lambda: (
            f"根据《{g.pick(AGENCIES)}关于印发实施方案的通知》（{g.doc_no()}）要求，现将有关事项通知如下。"
        ),
        40,
    )
    add("decree", lambda: f"《政府信息公开条例》（国务院令第{g.r.randrange(100, 800)}号）已经修订公布。", 10)
    add(
        "date",
        lambda: g.pick(
            (
                f"本办法自{g.date_cn()}起施行。",
                f"成文日期：{g.r.randrange(2015, 2026)}{g.r.randrange(1, 13):02d}{g.r.randrange(1, 29):02d}",
                f"发布日期：{g.r.randrange(2015, 2026)}-{g.r.randrange(1, 13):02d}-{g.r.randrange(1, 29):02d}",
                f"会议时间：{g.r.randrange(2015, 2026)}.{g.r.randrange(1, 13):02d}.{g.r.randrange(1, 29):02d} 上午9:00",
                f"有效期至{g.r.randrange(2025, 2031)}/{g.r.randrange(1, 13)}/{g.r.randrange(1, 29)}。",
            )
        ),
        50,
    )
    add(
        "amount",
        lambda: g.pick(
            (
                f"全年一般公共预算收入{g.r.randrange(1000, 99999)}.{g.r.randrange(10, 99)}万元，增长{g.r.randrange(1, 15)}.{g.r.randrange(0, 9)}%。",
                f"项目总投资{g.r.randrange(10**9, 10**11)}元，其中中央补助{g.r.randrange(10**6, 10**8)}元。",
                f"合计金额：¥{g.r.randrange(10**5, 10**7)}.{g.r.randrange(10, 99)}",
                f"预算支出{g.pick(MOBILE_PREFIXES)}{g.digits(8)}元。",
            )
        ),
        50,
    )
    add(
        "statistic",
        lambda: (
            f"全市地区生产总值增长{g.r.randrange(1, 12)}.{g.r.randrange(0, 9)}%，城镇新增就业{g.r.randrange(1000, 99999)}人，居民人均可支配收入{g.r.randrange(20000, 90000)}元。"
        ),
        40,
    )
    add(
        "index_no",
        lambda: g.pick(
            (
                f"索引号：000014349/{g.r.randrange(2015, 2026)}-{g.r.randrange(1, 99999):05d}",
                f"索引号：{g.uscc()}/{g.r.randrange(2015, 2026)}{g.r.randrange(1, 13):02d}-{g.r.randrange(1, 99999):05d}",
                f"索引号: {g.uscc()}/{g.r.randrange(2015, 2026)}-{g.r.randrange(1, 99999):05d}",
                "索引号：11341702486344515H/202110-00013",
            )
        ),
        50,
    )
    add(
        "long_digit_run",
        lambda: g.pick(
            (
                f"订单号{g.r.randrange(2015, 2026)}{g.mobile()}{g.digits(3)}",
                f"流水号：{g.digits(4)}{g.mobile()}",
                f"编号{g.mobile()}{g.digits(2)}已作废。",
                f"业务受理号：{g.r.randrange(10, 99)}{g.id_number()}",
                f"条码{g.digits(3)}{g.card(16)}{g.digits(2)}",
                f"批次{g.digits(5)}-{g.mobile()}{g.digits(1)}",
            )
        ),
        50,
    )
    add(
        "year",
        lambda: f"{g.r.randrange(1949, 2026)}年至{g.r.randrange(1990, 2030)}年，共{g.r.randrange(2, 80)}年。",
        20,
    )
    add(
        "isbn",
        lambda: g.pick(
            (
                f"ISBN 978-7-{g.r.randrange(10, 99)}-{g.digits(6)}-{g.r.randrange(0, 10)}",
                f"ISBN 978{g.digits(10)}",
                f"ISBN 7-{g.digits(4)}-{g.digits(4)}-{g.r.randrange(0, 10)}",
                f"书号：ISBN 979-7-{g.digits(4)}-{g.digits(4)}-{g.r.randrange(0, 10)}",
            )
        ),
        30,
    )
    add(
        "postcode",
        lambda: g.pick(
            (
                f"邮政编码：{g.pick(DIVISIONS)[:3]}{g.digits(3)}",
                f"邮编 {g.digits(6)}",
                f"（邮编{g.digits(6)}）",
            )
        ),
        30,
    )
    add("uscc_bad", lambda: f"统一社会信用代码：{g.uscc_bad()}", 50)
    add("id_bad_check", lambda: f"身份证号码：{g.id_bad_check()}", 50)
    add("id_bad_date", lambda: f"公民身份号码：{g.id_bad_date()}", 40)
    add(
        "card_like",
        lambda: g.pick(
            (
                f"账号：{g.card_bad_luhn(g.pick((16, 19)))}",
                f"项目编号{g.serial_luhn(g.pick((16, 17, 18, 19)))}",
                f"合同编号：{g.serial_luhn(16)}",
                f"卡号：{g.card_bad_luhn(16)}",
            )
        ),
        50,
    )
    add(
        "phone_like",
        lambda: g.pick(
            (
                "政务服务便民热线：12345",
                "消费者投诉举报专线12315",
                f"客服电话：400-{g.digits(3)}-{g.digits(4)}",
                "报警请拨110，火警119，急救120。",
                f"统一客服号码95{g.digits(3)}",
                f"第{g.r.randrange(1, 9)}期（总第{g.r.randrange(100, 999)}期）",
                f"占比{g.r.randrange(10, 99)}.{g.digits(8)}",
                f"坐标：东经{g.r.randrange(100, 130)}.{g.digits(6)}，北纬{g.r.randrange(20, 50)}.{g.digits(6)}",
                f"（{g.r.randrange(2010, 2026)}）{g.r.randrange(1, 200)}号",
                f"{g.digits(3)}-{g.digits(3)}",
            )
        ),
        50,
    )
    add(
        "code_like",
        lambda: g.pick(
            (
                "按照GB/T 9704-2012《党政机关公文格式》排版。",
                "执行GB 11643-1999《公民身份号码》标准。",
                f"G{g.r.randrange(1, 99)}沈海高速改扩建工程",
                f"乘坐G{g.r.randrange(1, 9999)}次列车",
                f"PM2.5平均浓度{g.r.randrange(20, 60)}微克/立方米",
                "CPU型号i7-13700，内存32GB。",
            )
        ),
        30,
    )
    add(
        "secrecy_words",
        lambda: g.pick(
            (
                "除涉及国家秘密、商业秘密和个人隐私外，政府信息应当公开。",
                "各单位要健全内部控制制度，加强内部审计。",
                "严格执行《中华人民共和国保守国家秘密法》，做好保密审查。",
                "国家秘密的密级分为绝密、机密、秘密三级。",
                "严禁在非涉密计算机上处理机密文件。",
                "加强机关内部管理，规范内部机构设置。",
                "党内部署的重点工作要抓好落实。",
                "落实保密责任制，防止泄密事件发生。",
                "不涉及党和国家秘密的，一般都要公开。",
                "部门内部使用的办公设备实行统一采购。",
                "内部控制评价报告已按要求报送。",
                "秘密级文件的保密期限一般不超过10年。",
            )
        ),
        60,
    )
    add(
        "more_negatives",
        lambda: g.pick(
            (
                f"比例为0.{g.mobile()}",
                f"发票号码：{g.digits(20)}",
                "请关注微博@江州发布获取最新信息。",
                "测试账户admin@localhost不得用于生产环境。",
                "满意度评价：★★★★☆",
                "地址：详见附件",
                "住所：同上",
                "姓名：__________",
                "申请人：（签字）",
                "经办人：（盖章）",
                "中央1号文件对农业农村工作作出部署。",
                f"地铁{g.r.randrange(1, 12)}号线{g.r.randrange(1, 9)}号出口",
                f"第{g.r.randrange(1, 40)}号令",
                f"文号：{g.doc_no()}；成文日期：{g.date_cn()}",
            )
        ),
        60,
    )
    add(
        "label_not_person",
        lambda: g.pick(
            (
                "联系人：办公室",
                "申请人：江州市恒达科技有限公司",
                f"申请人：{g.pick(SURNAMES)}某某",
                f"当事人：{g.pick(SURNAMES)}×",
                "地址：无",
                f"网址：http://www.jz.gov.cn/xxgk/{g.digits(6)}.html",
                "负责人：各县（市、区）政府",
                f"联系人：{g.pick(SURNAMES)}科长",
            )
        ),
        40,
    )
    return cases


def corpus_negatives(g: Gen, n: int) -> list[dict]:
    """Sentences of the real work reports with numbers or secrecy words in them: no findings."""
    rows = [json.loads(line) for line in lzma.decompress(CORPUS_XZ.read_bytes()).splitlines()]
    sentences = re.split(r"(?<=[。；！？\n])", "\n".join(row["content"] for row in rows))
    pattern = re.compile(r"\d{4,}|内部|秘密|机密|保密|%|％|〔")
    chosen = sorted({s.strip() for s in sentences if pattern.search(s) and 10 < len(s.strip()) < 200})
    return [{"text": s, "expected": [], "tag": "corpus"} for s in g.r.sample(chosen, n)]


def build() -> list[dict]:
    g = Gen(SEED)
    return positives(g) + negatives(g) + corpus_negatives(g, 200)


def render(cases: list[dict]) -> str:
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


# ---------------------------------------------------------------- scoring

OVERLAP_KINDS = {Kind.ADDRESS, Kind.PERSON_NAME}


@dataclass
class Score:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    misses: list = field(default_factory=list)  # (tag, "FP"|"FN", kind, text, case text)

    def precision(self, kind: str) -> float:
        found = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / found if found else 1.0

    def recall(self, kind: str) -> float:
        labelled = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / labelled if labelled else 1.0

    def table(self) -> str:
        lines = [f"{'kind':<14}{'labels':>7}{'found':>7}{'tp':>6}{'precision':>11}{'recall':>8}"]
        for kind in Kind:
            labelled = self.tp[kind] + self.fn[kind]
            found = self.tp[kind] + self.fp[kind]
            lines.append(
                f"{kind.value:<14}{labelled:>7}{found:>7}{self.tp[kind]:>6}"
                f"{self.precision(kind):>11.3f}{self.recall(kind):>8.3f}"
            )
        return "\n".join(lines)


def load_sample(path: Path = OUT) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _label_spans(case: dict) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each label, located in order in the case's text."""
    spans, pos = [], 0
    for label in case["expected"]:
        start = case["text"].index(label["text"], pos)
        end = start + len(label["text"])
        spans.append((label["kind"], start, end))
        pos = end
    return spans


def _matches(kind: str, label: tuple[str, int, int], finding) -> bool:
    if finding.kind != kind:
        return False
    if kind in OVERLAP_KINDS:
        return finding.start < label[2] and label[1] < finding.end
    return (finding.start, finding.end) == (label[1], label[2])


def evaluate(cases: list[dict]) -> Score:
    score = Score()
    for case in cases:
        # Credit codes are labelled in the sample: count them too (they are reported on request).
        findings = scan_text(case["text"], public=True)
        used = set()
        for label in _label_spans(case):
            kind = label[0]
            hit = next(
                (i for i, f in enumerate(findings) if i not in used and _matches(kind, label, f)), None
            )
            if hit is None:
                score.fn[kind] += 1
                score.misses.append(
                    (case["tag"], "FN", kind, case["text"][label[1] : label[2]], case["text"])
                )
            else:
                used.add(hit)
                score.tp[kind] += 1
        for i, finding in enumerate(findings):
            if i not in used:
                score.fp[finding.kind] += 1
                score.misses.append((case["tag"], "FP", finding.kind.value, finding.text, case["text"]))
    return score


def report() -> None:
    result = evaluate(load_sample())
    print(result.table())
    for tag, what, kind, text, context in result.misses:
        print(f"{what} {kind:<13} [{tag}] {text!r} in {context[:120]!r}")


if __name__ == "__main__":
    if "--report" in sys.argv[1:]:
        report()
    else:
        OUT.parent.mkdir(exist_ok=True)
        cases = build()
        OUT.write_text(render(cases), encoding="utf-8")
        print(f"{len(cases)} cases written to {OUT}")
