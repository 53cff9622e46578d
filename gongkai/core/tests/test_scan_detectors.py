"""The pre-scan's detectors, one behaviour at a time (gongkai.core.scan).

Kept as one module on purpose (over 500 lines): one behaviour a test, in the order of detectors.py
(itself one module).
"""

import pytest

from gongkai.core.checksums import id_number_check_char, org_code_check_char, uscc_check_char
from gongkai.core.scan import Confidence, Kind, scan_text


def with_id_check(body17: str) -> str:
    return body17 + id_number_check_char(body17)


def with_uscc_check(head: str, division: str, org8: str) -> str:
    body = head + division + org8 + org_code_check_char(org8)
    return body + uscc_check_char(body)


def with_luhn(body: str) -> str:
    for d in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + d)):
            n = int(ch)
            if i % 2:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return body + d
    raise AssertionError


ID = with_id_check("11010519491231002")  # the example number of GB 11643-1999
USCC = with_uscc_check("91", "340100", "12345678")
CARD = with_luhn("622202123456789012")  # 19 digits, UnionPay


def found(text: str) -> list[tuple[str, str]]:
    """What the scan reports, credit codes included (``public=True``): the detectors' tests
    check that a credit code is read as one, whether or not it is reported."""
    return [(f.kind.value, f.text) for f in scan_text(text, public=True)]


def kinds(text: str) -> set[str]:
    return {f.kind.value for f in scan_text(text, public=True)}


# ---------------------------------------------------------------- ID numbers


def test_a_valid_id_number_is_found_with_its_offsets():
    text = f"申请人身份证号码：{ID}，特此证明。"
    (finding,) = scan_text(text)
    assert finding.kind is Kind.ID_NUMBER and finding.confidence is Confidence.HIGH
    assert text[finding.start : finding.end] == ID == finding.text


def test_an_id_number_with_a_wrong_check_character_is_not_reported():
    wrong = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    assert found(f"身份证号码：{wrong}") == []


@pytest.mark.parametrize("birth", ["19900230", "19851301", "19990000", "20990612"])
def test_an_id_number_with_an_impossible_birth_date_is_not_reported(birth):
    assert found(f"身份证号码：{with_id_check('110101' + birth + '123')}") == []


def test_an_id_number_with_an_unknown_province_is_not_reported():
    assert found(f"编号{with_id_check('99010119900307123')}") == []


def test_an_id_number_inside_a_longer_digit_run_is_not_reported():
    assert found(f"业务流水号：20{ID}5") == []


def test_an_id_number_ending_in_lowercase_x_is_found():
    body = next(b for b in (f"34010419850101{n:03d}" for n in range(1000)) if id_number_check_char(b) == "X")
    assert found(f"身份证：{body}x") == [("id_number", body + "x")]


def test_an_id_number_grouped_six_eight_four_is_found():
    grouped = f"{ID[:6]} {ID[6:14]} {ID[14:]}"
    assert found(f"身份证号：{grouped}。") == [("id_number", grouped)]


def test_an_old_fifteen_digit_id_number_is_found_only_after_its_label():
    old = "110105491231002"
    assert found(f"原身份证号：{old}") == [("id_number", old)]
    assert found(f"注册号：{old}") == []


# ---------------------------------------------------------------- credit codes


def test_a_valid_credit_code_is_found():
    assert found(f"统一社会信用代码：{USCC}。") == [("uscc", USCC)]


def test_a_credit_code_is_public_not_personal_data():
    # Issue 17: a company's credit code is not personal data; it is reported only on request,
    # then as PUBLIC, and never hides a real finding beside it.
    text = f"某某建设有限公司（统一社会信用代码：{USCC}），联系电话：13912345678。"
    assert [f.kind.value for f in scan_text(text)] == ["mobile"]
    uscc = [f for f in scan_text(text, public=True) if f.kind is Kind.USCC]
    assert [(f.text, f.confidence) for f in uscc] == [(USCC, Confidence.PUBLIC)]


def test_a_credit_code_with_a_wrong_check_character_is_not_reported():
    wrong = USCC[:-1] + ("1" if USCC[-1] != "1" else "2")
    assert found(f"统一社会信用代码：{wrong}") == []


@pytest.mark.parametrize(
    "index_no", [f"{USCC}/2024-00012", f"{USCC}/202110-00013", "11341702486344515H/202110-00013"]
)
def test_a_credit_code_that_begins_an_index_number_is_not_reported(index_no):
    assert found(f"索引号：{index_no}") == []


# ---------------------------------------------------------------- bank cards


def test_a_unionpay_card_number_is_found_without_a_label():
    assert found(f"补助资金已打入{CARD}。") == [("bank_card", CARD)]


def test_a_card_number_grouped_by_four_is_found():
    grouped = " ".join(CARD[i : i + 4] for i in range(0, len(CARD), 4))
    assert found(f"卡号：{grouped}") == [("bank_card", grouped)]


def test_a_card_number_failing_luhn_is_not_reported():
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert found(f"账号：{wrong}") == []


def test_a_luhn_valid_serial_without_a_card_prefix_or_label_is_not_reported():
    assert found(f"项目编号{with_luhn('202403050001234')}") == []


def test_a_labelled_card_of_any_issuer_is_found():
    card = with_luhn("880012345678901")
    assert found(f"开户银行：江州农商银行 账号：{card}") == [("bank_card", card)]


def test_an_id_number_is_not_also_reported_as_a_bank_card():
    # The ID of the standard passes Luhn too; the more specific kind wins.
    for body in (f"34010419850101{n:03d}" for n in range(1000)):
        number = with_id_check(body)
        if number[-1] != "X" and with_luhn(number[:-1]) == number:
            break
    else:
        raise AssertionError("no Luhn-valid ID number in the range")
    assert found(f"卡号或身份证：{number}") == [("id_number", number)]


def test_a_mistyped_id_number_is_not_reported_as_a_card():
    # 13th month: not an ID number, but its shape says it was meant as one.
    for n in range(1000):
        number = with_id_check(f"34010419851301{n:03d}")
        if number[-1] != "X" and with_luhn(number[:-1]) == number:
            break
    else:
        raise AssertionError("no Luhn-valid number in the range")
    assert found(f"公民身份号码：{number}") == []


# ---------------------------------------------------------------- telephones


@pytest.mark.parametrize(
    "mobile",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "86-13912345678",
        "+8613912345678",
    ],
)
def test_mobile_numbers_are_found_in_their_usual_forms(mobile):
    assert found(f"联系电话：{mobile}。") == [("mobile", mobile)]


@pytest.mark.parametrize(
    "text",
    [
        "订单号2024139123456789",  # inside a longer run
        "预算支出13912345678元",  # an amount
        "比例为0.13912345678",  # a decimal
        "编号13912345678901",
        "12912345678",  # 12x is no mobile prefix
    ],
)
def test_phone_like_digits_that_are_not_mobiles_are_not_reported(text):
    assert "mobile" not in kinds(text)


@pytest.mark.parametrize(
    "landline",
    [
        "0551-65123456",
        "010-62345678",
        "(0551)6512345",
        "（010）62345678",
        "0792 8221001",
        "+86-551-65123456",
        "0551-65123456转801",
        "0551-6512-3456",
    ],
)
def test_landline_numbers_are_found_in_their_usual_forms(landline):
    assert found(f"咨询电话：{landline}。") == [("landline", landline)]


def test_a_landline_without_separator_is_found_only_after_a_phone_label():
    assert found("电话：05516512345") == [("landline", "05516512345")]
    assert found("编号05516512345") == []


def test_a_local_number_after_a_phone_label_is_a_low_confidence_landline():
    (finding,) = scan_text("联系电话：6512345")
    assert finding.kind is Kind.LANDLINE and finding.confidence is Confidence.LOW


@pytest.mark.parametrize(
    "text",
    [
        "000014349/2024-00012",
        "发布日期：2024-03-05",
        "ISBN 978-7-01-012345-6",
        "客服电话：400-123-4567",
        "政务服务便民热线：12345",
        "国办发〔2019〕14号",
    ],
)
def test_numbers_that_are_not_landlines_are_not_reported(text):
    assert found(text) == []


# ---------------------------------------------------------------- e-mail and passports


@pytest.mark.parametrize("email", ["zhangwei@163.com", "Zhang.Wei+gk@mail.jz.gov.cn", "a.b-c@example.org"])
def test_email_addresses_are_found(email):
    assert found(f"电子邮箱：{email}。") == [("email", email)]


@pytest.mark.parametrize("text", ["关注微博@江州发布", "admin@localhost", "@@@"])
def test_at_signs_that_are_not_addresses_are_not_reported(text):
    assert found(text) == []


def test_a_mobile_used_as_a_mailbox_is_reported_once_as_an_email():
    assert found("邮箱：13912345678@139.com") == [("email", "13912345678@139.com")]


def test_an_e_or_g_passport_is_found_alone_and_trusted_after_its_label():
    (bare,) = scan_text("证件：E12345678")
    (labelled,) = scan_text("护照号码：E12345678")
    assert bare.kind is labelled.kind is Kind.PASSPORT
    assert bare.confidence is Confidence.LOW and labelled.confidence is Confidence.HIGH


def test_other_passport_forms_need_the_word_passport():
    assert found("护照号：EA1234567") == [("passport", "EA1234567")]
    assert found("型号EA1234567") == []


# ---------------------------------------------------------------- secrecy marks


@pytest.mark.parametrize(
    "mark",
    [
        "机密★5年",
        "秘密★1年",
        "绝密★长期",
        "秘密 ★ 6个月",
        "机密★",
        "機密★5年",
        "密级：秘密",
        "密级：机密★10年",
    ],
)
def test_secrecy_marks_with_a_star_or_a_label_are_found_with_high_confidence(mark):
    (finding,) = scan_text(f"{mark}\n江州市人民政府关于印发实施方案的通知")
    assert (finding.kind, finding.text, finding.confidence) == (Kind.SECRECY_MARK, mark, Confidence.HIGH)


@pytest.mark.parametrize(
    "phrase", ["内部资料", "内部文件", "注意保密", "不得外传", "仅供内部使用", "此件不公开"]
)
def test_internal_circulation_notes_are_found(phrase):
    assert found(f"{phrase}\n江州市2024年工作要点") == [("secrecy_mark", phrase)]


def test_a_note_in_a_sentence_is_a_low_confidence_mark():
    (finding,) = scan_text("本材料为内部资料，请妥善保管，用后收回。")
    assert finding.text == "内部资料" and finding.confidence is Confidence.LOW


@pytest.mark.parametrize("line", ["内部", "【内部】", "秘密", "（机密）", "秘密\r"])
def test_a_bare_level_alone_on_its_line_is_a_mark(line):
    assert kinds(f"{line}\n江州市人民政府文件") == {"secrecy_mark"}


@pytest.mark.parametrize(
    "sentence",
    [
        "除涉及国家秘密、商业秘密和个人隐私外，政府信息应当公开。",
        "各单位要健全内部控制制度，加强内部审计。",
        "国家秘密的密级分为绝密、机密、秘密三级。",
        "部门内部使用的办公设备实行统一采购。",
        "严禁在非涉密计算机上处理机密文件。",
        "满意度评价：★★★★☆",
    ],
)
def test_secrecy_words_in_ordinary_prose_are_not_marks(sentence):
    assert found(sentence) == []


# ---------------------------------------------------------------- names and addresses


def test_a_name_after_its_label_is_a_low_confidence_finding():
    (finding,) = scan_text("申请人：张三丰，联系方式见附件。")
    assert (finding.kind, finding.text, finding.confidence) == (Kind.PERSON_NAME, "张三丰", Confidence.LOW)


def test_a_name_followed_directly_by_the_next_label_is_cut_there():
    assert found("联系人：李明电话：见附件") == [("person_name", "李明")]


@pytest.mark.parametrize(
    "text",
    [
        "联系人：办公室",
        "申请人：江州市恒达科技有限公司",
        "当事人：王某某",
        "联系人：王科长",
        "申请人：（签字）",
    ],
)
def test_labels_followed_by_no_personal_name_are_not_reported(text):
    assert found(text) == []


def test_a_name_in_the_cell_before_an_id_number_is_found():
    assert found(f"1\t王芳\t{ID}\t2400.00") == [("person_name", "王芳"), ("id_number", ID)]


def test_an_address_after_its_label_runs_to_the_end_of_the_clause():
    text = "住址：安徽省合肥市蜀山区长江西路100号3栋201室，邮编230001。"
    assert found(text) == [("address", "安徽省合肥市蜀山区长江西路100号3栋201室")]


def test_an_address_in_prose_is_recognised_by_street_and_number():
    assert found("申请人现居住在江州市浔阳区长虹大道88号，户籍在本市。") == [
        ("address", "江州市浔阳区长虹大道88号")
    ]


@pytest.mark.parametrize("text", ["地址：详见附件", "中央1号文件", "地铁2号线3号出口", "国务院令第711号"])
def test_numbers_with_hao_that_are_not_addresses_are_not_reported(text):
    assert found(text) == []


# ---------------------------------------------------------------- the text as a whole


def test_full_width_digits_are_read_and_offsets_stay_those_of_the_original():
    wide = "".join(chr(ord(c) + 0xFEE0) for c in "13912345678")
    text = f"手机：{wide}。"
    (finding,) = scan_text(text)
    assert finding.kind is Kind.MOBILE and finding.text == wide
    assert text[finding.start : finding.end] == wide and finding.excerpt == "139****5678"


def test_findings_come_in_order_of_position_without_overlaps():
    text = f"机密★5年\n申请人：张三，身份证：{ID}，手机：13912345678，邮箱：zs@example.com，卡号：{CARD}"
    findings = scan_text(text)
    assert [f.kind.value for f in findings] == [
        "secrecy_mark",
        "person_name",
        "id_number",
        "mobile",
        "email",
        "bank_card",
    ]
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))


def test_text_without_findings_gives_an_empty_list():
    assert scan_text("") == [] and scan_text("2024年全市地区生产总值增长6.5%。") == []


def test_the_full_value_stays_out_of_a_findings_repr():
    (finding,) = scan_text(f"身份证号码：{ID}")
    assert ID not in repr(finding)


# ---------------------------------------------------------------- issue 17: fewer misses

ID_X = with_id_check("11010119900307125")  # ends in X
assert ID_X.endswith("X")


@pytest.mark.parametrize("cut", [6, 10, 14, 17])
def test_an_id_number_broken_by_a_line_break_is_found_whole(cut):
    broken = ID[:cut] + "\n" + ID[cut:]
    text = f"当事人：张三，身份证号码：{broken}，住所地不详。"
    (finding,) = [f for f in scan_text(text) if f.kind is Kind.ID_NUMBER]
    assert finding.text == broken and finding.excerpt == "110105********002X"
    assert finding.confidence is Confidence.HIGH


def test_an_id_number_broken_over_two_lines_with_blanks_and_crlf_is_found():
    broken = f"{ID[:8]}  \r\n  {ID[8:15]}\n{ID[15:]}"
    assert found(f"身份证：{broken}") == [("id_number", broken)]


@pytest.mark.parametrize("cut", [3, 7])
def test_a_mobile_broken_by_a_line_break_is_found_whole(cut):
    mobile = "13912345678"
    broken = mobile[:cut] + "\n" + mobile[cut:]
    assert found(f"联系电话：{broken}。") == [("mobile", broken)]


def test_numbers_on_consecutive_lines_are_not_joined_into_one():
    # Two lines each ending and starting with digits: a date and a count, a list of numbers.
    assert found("2024\n13812345\n统计年度2023\n5678") == []
    assert found(f"{ID}\n{ID}") == [("id_number", ID), ("id_number", ID)]


@pytest.mark.parametrize(
    "written",
    [
        f"{ID_X[:6]}-{ID_X[6:14]}-{ID_X[14:]}",
        f"{ID_X[:6]} {ID_X[6:14]} {ID_X[14:]}",
        f"{ID_X[:6]}-{ID_X[6:10]}-{ID_X[10:14]}-{ID_X[14:]}",
        f"{ID_X[:6]} {ID_X[6:10]} {ID_X[10:14]} {ID_X[14:]}",
    ],
)
def test_an_id_number_grouped_with_hyphens_or_spaces_is_found(written):
    (finding,) = scan_text(f"身份证号：{written}")
    assert finding.kind is Kind.ID_NUMBER and finding.text == written
    assert finding.excerpt == "110101********125X"


def test_an_id_number_with_times_for_x_is_found_and_masked_with_x():
    written = ID_X[:-1] + "×"
    (finding,) = scan_text(f"{written}号")
    assert finding.kind is Kind.ID_NUMBER and finding.text == written
    assert finding.excerpt == "110101********125X"


def test_an_unlabelled_15_digit_id_number_with_a_real_birth_date_is_found():
    assert found("张三 330106850307123 男") == [("person_name", "张三"), ("id_number", "330106850307123")]
    (finding,) = [f for f in scan_text("330106850307123") if f.kind is Kind.ID_NUMBER]
    assert finding.confidence is Confidence.LOW


@pytest.mark.parametrize(
    "text",
    [
        "330106851307123",  # month 13
        "330106850230123",  # 30 February
        "990106850307123",  # no such province
        "注册号：330106850307123",  # an old business registration number
        "采购计划备案号：330106850307123",
        "账号：330106850307123",
    ],
)
def test_a_15_digit_number_that_is_not_an_id_number_is_not_reported(text):
    assert "id_number" not in kinds(text)


@pytest.mark.parametrize("written", ["139.1234.5678", "139-1234-5678", "139 1234 5678"])
def test_a_mobile_grouped_by_dots_hyphens_or_spaces_is_found(written):
    assert found(f"手机：{written}。") == [("mobile", written)]


def test_dotted_numbers_that_are_not_mobiles_are_not_reported():
    assert found("版本号139.1234.56，增长率13.91234%，2024.12.31") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("联系人：王小明，电话：0551-65123456", "王小明"),
        ("经营者：李四  身份证号码见附件", "李四"),
        ("负责人王强，电话13912345678", "王强"),
        ("项目负责人：赵六", "赵六"),
        ("联系人张三丰电话", "张三丰"),
        ("经查，当事人王静于2026年6月15日在本市销售过期食品。", "王静"),
        ("值班人员：何东芳，手机：15786884068", "何东芳"),
    ],
)
def test_names_after_contact_and_business_labels_are_found(text, name):
    assert ("person_name", name) in found(text)


@pytest.mark.parametrize(
    "text", ["负责人应当履行职责", "联系人员在现场", "当事人陈述申辩的权利", "联系人：王科长"]
)
def test_label_words_in_sentences_are_not_names(text):
    assert "person_name" not in kinds(text)


def test_every_name_of_a_list_after_a_label_is_found():
    text = "评审委员会成员：蔡磊海、张桂、欧阳明（组长）。"
    assert found(text) == [("person_name", n) for n in ("蔡磊海", "张桂", "欧阳明")]


@pytest.mark.parametrize("sep", ["\t", "    ", " "])
def test_names_in_a_table_column_under_a_name_header_are_found(sep):
    rows = [["序号", "姓名", "工作单位", "评审专业"], ["1", "李明", "江州市恒通建设工程有限公司", "建筑工程"]]
    rows += [["2", "欧阳娜", "江西瑞丰食品有限公司", "食品工程"], ["3", "王某某", "江州市某局", "造价"]]
    text = "职称评审通过人员名单\n" + "\n".join(sep.join(row) for row in rows) + "\n\n公示期五个工作日。"
    assert found(text) == [("person_name", "李明"), ("person_name", "欧阳娜")]


def test_names_beside_masked_id_numbers_in_a_list_are_found():
    text = "序号\n姓名\n身份证号码\n1\n张丽\n340104********1234\n2\n古丽娜尔·吐尔逊\n440106********4602\n"
    assert found(text) == [("person_name", "张丽"), ("person_name", "古丽娜尔·吐尔逊")]


def test_an_organisations_premises_are_not_a_persons_address_but_a_home_is():
    company = (
        "供应商名称：江州市恒通建设工程有限公司\n统一社会信用代码：{}\n地址：江州市浔阳区九华门路163号10楼\n"
    )
    assert "address" not in kinds(company.format(USCC))
    assert "address" not in kinds("经营场所：江州市浔阳区湓浦路72号\n")
    home = "当事人：江州市恒达建材有限公司\n统一社会信用代码：{}\n地址：江州市浔阳区翠湖公寓28栋1156室\n"
    assert "address" in kinds(home.format(USCC))
    assert "address" in kinds("经营者：李四\n住址：江州市浔阳区湓浦路72号\n")
