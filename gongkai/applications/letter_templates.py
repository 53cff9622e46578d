"""Default texts of the procedural documents and reply letters (Django template strings, Chinese).

Pure data and string assembly, no Django imports: ``letters.py`` renders these. A template has
the blocks ``title``, ``letter_no``, ``addressee``, ``body`` and ``seal``; inside ``body`` and
``seal`` every non-empty line is one paragraph. Articles are those of the 2019 Regulation
(国务院令第711号); remedies follow the Administrative Reconsideration Law as revised in 2023
(in force 2024-01-01), whose Art. 23 puts reconsideration before litigation only when an
application for government information is refused (不予公开); every other letter offers the choice
of reconsideration or a suit. Each names the reconsideration body and, where a suit is open, the
court, both with their address (recorded on the agency).

Outcome codes are those of interfaces.md (the rows of the annual report's Table 2, section 三).

Kept as one module on purpose (over 500 lines): data, one default text per letter, read and
reviewed side by side.
"""

REG = "《中华人民共和国政府信息公开条例》"

OUTCOMES = (
    "disclosed",
    "partially_disclosed",
    "withheld_state_secret",
    "withheld_law",
    "withheld_security",
    "withheld_third_party",
    "withheld_internal",
    "withheld_process",
    "withheld_enforcement",
    "withheld_inquiry",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "unprocessed_petition",
    "unprocessed_repeat",
    "unprocessed_publication",
    "unprocessed_excessive",
    "unprocessed_confirmation",
    "other_no_correction",
    "other_fee_unpaid",
    "other",
)

# Art. 23(1)(4) of the Reconsideration Law puts reconsideration first only where "申请政府信息公开，
# 行政机关不予公开": the refusals to disclose (不予公开, the withheld_* rows of Table 2). Every other
# outcome (information not held, not processed, abandoned, disclosed) leaves the applicant the
# choice of reconsideration within 60 days or a suit within 6 months; telling them otherwise
# costs them the direct route to court. A partial disclosure refuses a part: reconsideration first
# for that part, the choice for the rest.
RECONSIDERATION_FIRST = frozenset(o for o in OUTCOMES if o.startswith("withheld_"))
RECONSIDERATION_FIRST_IN_PART = frozenset({"partially_disclosed"})

# The eight non-disclosure grounds (Art. 14-16, 36(7)): what the information is, and the articles.
WITHHELD_GROUNDS = {
    "withheld_state_secret": ("属于依法确定为国家秘密的政府信息", "第十四条"),
    "withheld_law": ("属于法律、行政法规禁止公开的政府信息", "第十四条"),
    "withheld_security": ("公开后可能危及国家安全、公共安全、经济安全、社会稳定", "第十四条"),
    "withheld_third_party": ("涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害", "第十五条"),
    "withheld_internal": (
        "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
        "第十六条第一款",
    ),
    "withheld_process": (
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
        "第十六条第二款",
    ),
    "withheld_enforcement": ("属于行政执法案卷信息", "第十六条第二款"),
    "withheld_inquiry": (
        "属于工商、不动产登记资料等行政查询事项，有关法律、行政法规对信息的获取有特别规定",
        "第三十六条第七项",
    ),
}


def withheld_ground_text(outcome: str) -> str:
    """The ground as written after a withheld part, e.g. in ``LetterContext.withheld_parts``."""
    phrase, article = WITHHELD_GROUNDS[outcome]
    return f"{phrase}（{REG}{article}）"


def redaction_ground_text(ground: str) -> str:
    """The ground of a redaction in a provided file (``rules.REDACTION_GROUNDS``) as written in
    the withheld-parts list: personal data is protected as a third party's (Art. 15)."""
    if ground == "personal_data":
        return f"属于他人的个人信息，公开会对第三方合法权益造成损害（{REG}第十五条）"
    return withheld_ground_text(ground)


TITLES = {
    "register_form": "政府信息公开申请登记表",
    "receipt": "政府信息公开申请接收回执",
    "correction": "政府信息公开申请补正告知书",
    "excessive_reasons": "政府信息公开申请说明理由告知书",
    "extension": "政府信息公开申请延期答复告知书",
    "third_party_request": "政府信息公开征求第三方意见书",
    "third_party_applicant_notice": "政府信息公开申请征求第三方意见告知书",
    "third_party_decision_notice": "政府信息公开决定告知书",
    "agency_consultation": "政府信息公开征求意见函",
    "fee_notice": "政府信息公开信息处理费收费通知书",
    "transfer": "政府信息公开申请告知书",
    "reply": "政府信息公开申请答复书",
}

TO_APPLICANT = "{{ applicant_name }}："
TO_THIRD_PARTY = "{{ third_party_name }}："
TO_OTHER_AGENCY = "{{ other_agency_name }}："
SEALED = "{{ agency_name }}（印章）\n{{ letter_date|cn_date }}"
OPENING = (
    "本机关于{{ received_on|cn_date }}收到您提出的政府信息公开申请（申请编号：{{ tracking_no }}），"
    "申请获取“{{ description }}”。"
)
REASONS = "{% if reasons %}\n{{ reasons }}\n{% endif %}"
CONTACT = (
    "{% if office_phone %}\n联系电话：{{ office_phone }}\n{% endif %}"
    "{% if office_address %}\n联系地址：{{ office_address }}\n{% endif %}"
)


BODY_WITH_ADDRESS = "{{ reconsideration_body }}（地址：{{ reconsideration_address }}）"
COURT_WITH_ADDRESS = "{{ court }}（地址：{{ court_address }}）"


def remedy_first(document: str, *, what: str = "") -> str:
    """Reconsideration before litigation (行政复议法 Art. 23; 60 days Art. 20; 15 days ALL Art. 45)."""
    what = what or document
    return (
        f"如对{what}不服，根据《中华人民共和国行政复议法》第二十三条的规定，您应当先向"
        f"{BODY_WITH_ADDRESS}申请行政复议，申请期限为自收到{document}之日起60日内；"
        "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼，"
        "行政复议机关逾期不作决定的，可以自复议期满之日起15日内依法向人民法院提起行政诉讼。"
    )


def remedy_either(document: str, *, received: str = "", what: str = "") -> str:
    """Reconsideration within 60 days (行政复议法 Art. 20) or litigation within 6 months
    (行政诉讼法 Art. 46): the applicant chooses."""
    received = received or document
    what = what or document
    return (
        f"如对{what}不服，可以自收到{received}之日起60日内向{BODY_WITH_ADDRESS}"
        f"申请行政复议，也可以自收到{received}之日起6个月内直接向{COURT_WITH_ADDRESS}提起行政诉讼。"
    )


def remedy_in_part(document: str) -> str:
    """A partial disclosure: reconsideration first for the part refused, the choice for the rest."""
    refused = remedy_first(document, what=f"{document}中不予公开部分的决定")
    rest = remedy_either(document, what=f"{document}的其他内容")
    return refused + rest.replace("如对", "对", 1)


def letter(title: str, body: list[str], *, addressee: str = TO_APPLICANT, seal: str = SEALED) -> str:
    """A whole template from its parts."""
    return (
        f"{{% block title %}}{title}{{% endblock %}}\n"
        "{% block letter_no %}{{ letter_no }}{% endblock %}\n"
        f"{{% block addressee %}}{addressee}{{% endblock %}}\n"
        "{% block body %}\n" + "\n".join(body) + "\n{% endblock %}\n"
        "{% block seal %}\n" + seal + "\n{% endblock %}\n"
    )


# ---------------------------------------------------------------- the procedural documents

BODIES = {
    "register_form": [
        "申请编号：{{ tracking_no }}",
        "申请人：{{ applicant_name }}",
        '收到申请日期：{{ received_on|cn_date|default:"待确认" }}',
        "所需政府信息的描述：{{ description }}",
        "{% if provided_how %}获取信息的方式：{{ provided_how }}{% endif %}",
        "{% if due_on %}答复期限：{{ due_on|cn_date }}{% endif %}",
        "受理机关：{{ agency_name }}",
    ],
    "receipt": [
        OPENING + "本机关已接收您的申请{% if query_code %}，查询码为{{ query_code }}{% endif %}，"
        "请妥善保存申请编号和查询码，凭其查询办理进度。",
        f"根据{REG}第三十三条的规定，本机关将自收到申请之日起20个工作日内作出答复"
        "{% if due_on %}（即{{ due_on|cn_date }}前）{% endif %}；需要延长答复期限的，将书面告知您，"
        "延长的期限最长不超过20个工作日。征求第三方和其他机关意见所需时间不计算在答复期限内。",
        "特此回执。",
        CONTACT,
    ],
    "correction": [
        OPENING + f"经审查，您的申请内容不明确。根据{REG}第二十九条第二款、第三十条的规定，"
        "请您对以下事项作出补正：",
        "{% for item in correction_items %}\n（{{ forloop.counter }}）{{ item }}\n{% endfor %}",
        "请您自收到本告知书之日起{{ correction_days }}个工作日内向本机关提交补正后的申请。"
        "{% if correction_late %}本告知书晚于法定告知期限发出，答复期限不因补正而停止或重新计算，"
        "本机关仍于{{ due_on|cn_date }}前答复。{% else %}答复期限自本机关收到补正的申请之日起计算。{% endif %}"
        "无正当理由逾期不补正的，视为放弃申请，"
        "本机关将不再处理该政府信息公开申请。",
        "如您在补正时需要指导和释明，请与本机关联系。",
        CONTACT,
    ],
    "excessive_reasons": [
        OPENING + "经审查，您申请公开政府信息的数量、频次明显超过合理范围。",
        REASONS,
        f"根据{REG}第三十五条的规定，请您自收到本告知书之日起{{{{ correction_days }}}}个工作日内"
        "向本机关书面说明申请理由。",
        "本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在规定期限内答复的，"
        "将确定延迟答复的合理期限并告知您。",
        CONTACT,
    ],
    "extension": [
        OPENING + "因需要延长答复期限，本机关无法在收到申请之日起20个工作日内作出答复。",
        REASONS,
        f"经本机关政府信息公开工作机构负责人同意，根据{REG}第三十三条的规定，答复期限延长"
        "{{ extension_days }}个工作日{% if new_due_on %}，本机关将于{{ new_due_on|cn_date }}前作出答复"
        "{% endif %}。",
        "特此告知。",
        CONTACT,
    ],
    # The third party is not told who applied: the applicant's identity is personal data.
    "third_party_request": [
        "本机关于{{ received_on|cn_date }}收到一份政府信息公开申请，申请获取“{{ description }}”。"
        "经审查，该信息的公开可能损害您（单位）的合法权益。",
        REASONS,
        f"根据{REG}第三十二条的规定，现书面征求您（单位）的意见。请您（单位）自收到本意见书之日起"
        "{{ consultation_days }}个工作日内书面提出是否同意公开的意见；不同意公开的，请说明理由。"
        "逾期未提出意见的，由本机关依照该条例的规定决定是否公开。",
        "第三方不同意公开且有合理理由的，本机关不予公开。本机关认为不公开可能对公共利益造成重大影响的，"
        "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知您（单位）。",
        CONTACT,
    ],
    "third_party_applicant_notice": [
        OPENING + "经审查，该信息的公开可能损害第三方合法权益。",
        f"根据{REG}第三十二条的规定，本机关已书面征求第三方意见，第三方应当自收到征求意见书之日起"
        "{{ consultation_days }}个工作日内提出意见。根据该条例第三十三条的规定，征求第三方意见所需时间"
        "（自本机关发出征求意见书之日起至收到意见之日止，最长至上述期限届满之日）不计算在答复期限内。"
        "本机关将在收到第三方意见或者期限届满后依法作出答复。",
        "特此告知。",
        CONTACT,
    ],
    "third_party_decision_notice": [
        "本机关于{{ received_on|cn_date }}收到一份政府信息公开申请，申请获取的信息涉及您（单位）的"
        "合法权益，本机关已书面征求您（单位）的意见。",
        f"经审查，本机关认为不公开可能对公共利益造成重大影响。根据{REG}第十五条、第三十二条的规定，"
        "本机关决定予以公开。决定公开的政府信息内容：{{ description }}。",
        "理由：{{ reasons }}",
        "{% if due_on %}本机关将于{{ due_on|cn_date }}向申请人提供上述信息。{% endif %}",
        remedy_either("本决定", received="本告知书"),
        "特此告知。",
        CONTACT,
    ],
    "agency_consultation": [
        "本机关于{{ received_on|cn_date }}收到一份政府信息公开申请（申请编号：{{ tracking_no }}），"
        "申请获取“{{ description }}”。该信息系本机关与贵机关共同制作。",
        REASONS,
        f"根据{REG}第三十四条的规定，现征求贵机关意见。请贵机关自收到本函之日起"
        "{{ consultation_days }}个工作日内书面提出是否同意公开的意见；不同意公开的，请说明理由和依据。"
        "逾期未提出意见的，视为同意公开。",
        CONTACT,
    ],
    "fee_notice": [
        OPENING + "经审查，您申请公开政府信息的数量、频次明显超过合理范围。",
        f"根据{REG}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "本机关依法收取信息处理费。",
        "收费依据和标准：{{ fee_basis }}",
        "应缴金额：人民币{{ fee_amount|money }}元",
        "{% if fee_how_to_pay %}缴费方式：{{ fee_how_to_pay }}{% endif %}",
        "请您自收到本通知书之日起20个工作日内{% if fee_pay_by %}（即{{ fee_pay_by|cn_date }}前）{% endif %}缴纳。"
        "逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。"
        "自本机关发出本通知书之日起至您缴费完成之日止的期间，不计算在答复期限内。",
        CONTACT,
    ],
    "transfer": [
        OPENING + "经审查，您申请获取的信息不属于本机关负责公开的政府信息。",
        REASONS,
        f"根据{REG}第三十六条第五项的规定，"
        "{% if other_agency_name %}告知您负责公开该信息的行政机关为{{ other_agency_name }}"
        "{% if other_agency_contact %}（联系方式：{{ other_agency_contact }}）{% endif %}，"
        "请您向该机关提出申请。{% else %}特此告知。{% endif %}",
        remedy_either("本告知书"),  # not a refusal to disclose: the applicant chooses
        CONTACT,
    ],
}

ADDRESSEES = {
    "register_form": "",
    "third_party_request": TO_THIRD_PARTY,
    "third_party_decision_notice": TO_THIRD_PARTY,
    "agency_consultation": TO_OTHER_AGENCY,
}
SEALS = {"register_form": "登记人：__________\n登记日期：{{ letter_date|cn_date }}"}


# ---------------------------------------------------------------- reply letters, per outcome


def _withheld(outcome: str) -> list[str]:
    phrase, article = WITHHELD_GROUNDS[outcome]
    consulted = "{% if third_party_name %}本机关已依法书面征求第三方意见。{% endif %}"
    return [
        f"经审查，您申请获取的信息{phrase}。"
        + (consulted if outcome == "withheld_third_party" else "")
        + f"根据{REG}{article}、第三十六条第三项的规定，本机关决定不予公开。",
        REASONS,
    ]


DECISIONS = {
    "disclosed": [
        "{% if published_where %}"
        f"经审查，您申请获取的信息本机关已经主动公开。根据{REG}第三十六条第一项的规定，"
        "现告知您获取该信息的方式和途径：{{ published_where }}。"
        "{% else %}"
        f"经审查，您申请获取的信息属于可以公开的政府信息。根据{REG}第三十六条第二项的规定，"
        "本机关予以公开。{% if provided_how %}提供方式：{{ provided_how }}。{% endif %}"
        "{% endif %}",
        REASONS,
    ],
    "partially_disclosed": [
        "经审查，您申请获取的信息中含有不应当公开的内容，但是能够作区分处理。"
        f"根据{REG}第三十七条的规定，本机关向您提供可以公开的内容"
        "{% if provided_how %}（提供方式：{{ provided_how }}）{% endif %}，以下内容不予公开：",
        "{% for part, ground in withheld_parts %}\n（{{ forloop.counter }}）{{ part }}：{{ ground }}\n{% endfor %}",
        REASONS,
    ],
    **{outcome: _withheld(outcome) for outcome in WITHHELD_GROUNDS if outcome != "withheld_inquiry"},
    "withheld_inquiry": [
        "经审查，您申请获取的信息" + WITHHELD_GROUNDS["withheld_inquiry"][0] + "。"
        f"根据{REG}第三十六条第七项的规定，请您依照有关法律、行政法规的规定办理"
        "{% if other_agency_name %}（办理机构：{{ other_agency_name }}"
        "{% if other_agency_contact %}，联系方式：{{ other_agency_contact }}{% endif %}）{% endif %}。",
        REASONS,
    ],
    "unavailable_not_held": [
        "{% if other_agency_name %}"
        "经审查，您申请获取的信息不属于本机关负责公开的政府信息。"
        f"根据{REG}第三十六条第五项的规定，负责公开该信息的行政机关为{{{{ other_agency_name }}}}"
        "{% if other_agency_contact %}（联系方式：{{ other_agency_contact }}）{% endif %}，请您向该机关提出申请。"
        "{% else %}"
        f"经检索，本机关没有您所申请公开的信息。根据{REG}第三十六条第四项的规定，告知您该政府信息不存在。"
        "{% endif %}",
        REASONS,
    ],
    "unavailable_needs_creation": [
        "经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析才能形成。"
        f"根据{REG}第三十八条的规定，本机关不予提供。",
        REASONS,
    ],
    "unavailable_unclear": [
        "本机关已告知您对申请内容作出补正，但补正后的申请内容仍不明确，本机关无法确定您所申请公开的政府信息。"
        f"根据{REG}第二十九条第二款、第三十条的规定，本机关无法向您提供。"
        "您可以对所需信息的名称、文号或者其他特征性描述作出明确说明后重新提出申请。",
        REASONS,
    ],
    "unprocessed_petition": [
        "经审查，您提出的申请系以政府信息公开申请的形式进行信访、投诉、举报等活动。"
        f"根据{REG}第三十九条第一款的规定，本机关不作为政府信息公开申请处理，"
        "您可以通过信访、投诉、举报等相应渠道提出。",
        REASONS,
    ],
    "unprocessed_repeat": [
        "经审查，本机关已就您提出的政府信息公开申请作出答复，您本次申请系重复申请公开相同政府信息。"
        f"根据{REG}第三十六条第六项的规定，本机关不予重复处理。",
        REASONS,
    ],
    "unprocessed_publication": [
        "经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。"
        f'根据{REG}第三十九条第二款的规定，告知您获取途径：{{{{ published_where|default:"公开发行渠道" }}}}。',
        REASONS,
    ],
    "unprocessed_excessive": [
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由，"
        f"经审查申请理由不合理。根据{REG}第三十五条的规定，本机关不予处理。",
        REASONS,
    ],
    "unprocessed_confirmation": [
        "经审查，您提出的申请系要求本机关对您已获取的信息进行确认或者重新出具，"
        f"不属于获取{REG}第二条所称政府信息的申请，本机关不作为政府信息公开申请处理。",
        REASONS,
    ],
    "other_no_correction": [
        "本机关已依法一次性告知您需要补正的事项和补正期限，您无正当理由逾期未补正。"
        f"根据{REG}第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
        REASONS,
    ],
    "other_fee_unpaid": [
        "本机关已向您发出信息处理费收费通知，您未在规定期限内按照收费通知的要求缴纳费用。"
        f"根据{REG}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "视为您放弃申请，本机关不再处理该政府信息公开申请。",
        REASONS,
    ],
    "other": ["{{ reasons }}"],
}


def reply_decision(outcome: str) -> list[str]:
    """The decision paragraphs of one outcome followed by its remedy."""
    if outcome in RECONSIDERATION_FIRST:
        remedy = remedy_first("本答复")
    elif outcome in RECONSIDERATION_FIRST_IN_PART:
        remedy = remedy_in_part("本答复")
    else:
        remedy = remedy_either("本答复")
    return [*DECISIONS[outcome], remedy]


def reply_template(outcome: str = "") -> str:
    """The reply letter for one outcome, or (no outcome) for all, chosen by ``outcome`` at rendering."""
    if outcome:
        decision = reply_decision(outcome)
    else:
        decision = []
        for i, code in enumerate(OUTCOMES):
            decision.append(f'{{% {"if" if i == 0 else "elif"} outcome == "{code}" %}}')
            decision += reply_decision(code)
        decision.append("{% endif %}")
    return letter(TITLES["reply"], [OPENING, *decision, "特此答复。", CONTACT])


def kind_template(kind: str) -> str:
    """The default template of a procedural document (every kind but ``reply``)."""
    return letter(
        TITLES[kind],
        BODIES[kind],
        addressee=ADDRESSEES.get(kind, TO_APPLICANT),
        seal=SEALS.get(kind, SEALED),
    )


# The citizen's printable receipt after submitting online: no seal, no letter number.
SUBMISSION_RECEIPT = letter(
    "政府信息公开申请提交回执",
    [
        "申请编号：{{ tracking_no }}",
        "查询码：{{ query_code }}",
        "申请人：{{ applicant_name }}",
        "受理机关：{{ agency_name }}",
        "所需政府信息的描述：{{ description }}",
        '收到申请日期：{{ received_on|cn_date|default:"待确认" }}',
        "{% if due_note %}{{ due_note }}{% else %}"
        f"答复期限：根据{REG}第三十三条的规定，行政机关应当自收到申请之日起20个工作日内答复；"
        "需要延长的，经政府信息公开工作机构负责人同意并告知申请人，最长延长20个工作日。"
        "网上提交的申请，以双方确认之日为收到申请之日（第三十一条）；补正申请的，"
        "答复期限自收到补正的申请之日起计算；征求第三方和其他机关意见、缴纳信息处理费所需时间不计算在内。"
        "{% endif %}",
        "{% if due_on %}按目前情况计算，答复期限至{{ due_on|cn_date }}。{% endif %}",
        "请妥善保存申请编号和查询码，凭其查询办理进度和答复结果。查询码仅供本人使用，请勿告知他人。",
        CONTACT,
    ],
    seal="{{ agency_name }}\n{{ letter_date|cn_date }}",
).replace("{% block letter_no %}{{ letter_no }}{% endblock %}", "{% block letter_no %}{% endblock %}")


# ---------------------------------------------------------------- a reply item by item (分项答复)

CN_NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (items of a letter, up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_NUMERALS[tens - 1] + "十")
    return head + (CN_NUMERALS[ones - 1] if ones else "")


def items_remedy_outcome(outcomes: list[str]) -> str:
    """The outcome whose remedies a reply of several items states (one remedies paragraph for the
    letter): reconsideration first for the whole reply when every item is refused (不予公开);
    first for the refused items and the choice for the rest when any item is refused in whole or
    in part; the choice for everything otherwise."""
    if outcomes and all(o in RECONSIDERATION_FIRST for o in outcomes):
        return outcomes[0]
    if any(o in RECONSIDERATION_FIRST or o in RECONSIDERATION_FIRST_IN_PART for o in outcomes):
        return "partially_disclosed"
    return outcomes[0] if outcomes else ""


# Inside the loop over items each item's fields stand in for the letter's own, so the decision
# paragraphs of one outcome (DECISIONS) serve an item unchanged.
_ITEM_FIELDS = (
    "outcome=item.outcome reasons=item.reasons provided_how=item.provided_how "
    "withheld_parts=item.withheld_parts other_agency_name=item.other_agency_name "
    'other_agency_contact="" published_where="" third_party_name=""'
)


def reply_items_template() -> str:
    """The reply answering every item of an application in order (one section per item with its
    decision, legal basis and grounds), then the remedies once: ``items_first_what`` names the
    items whose refusal goes to reconsideration first (empty: none)."""
    decision = []
    for i, code in enumerate(OUTCOMES):
        decision.append(f'{{% {"if" if i == 0 else "elif"} outcome == "{code}" %}}')
        decision += DECISIONS[code]
    decision.append("{% endif %}")
    sections = [
        "{% for item in items %}",
        "{{ item.number }}、关于“{{ item.description }}”",
        f"{{% with {_ITEM_FIELDS} %}}",
        *decision,
        "{% endwith %}",
        "{% endfor %}",
    ]
    remedies = [
        "{% if items_all_first %}",
        remedy_first("本答复"),
        "{% elif items_first_what %}",
        remedy_first("本答复", what="本答复{{ items_first_what }}")
        + remedy_either("本答复", what="本答复的其他内容").replace("如对", "对", 1),
        "{% else %}",
        remedy_either("本答复"),
        "{% endif %}",
    ]
    opening = OPENING + "您的申请包含{{ items|length }}项内容，本机关分项答复如下："
    return letter(TITLES["reply"], [opening, *sections, REASONS, *remedies, "特此答复。", CONTACT])
