"""Disclosure on application as data (regulation.md, "Disclosure on application"; interfaces.md):
applicant types, channels, forms of delivery, the outcome codes with their article and report
group, and the states of an application. The clock is in clock.py, fees in fees.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.grounds import Ground


class ApplicantType(models.TextChoices):
    """The columns of the annual report's Table 2."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL_ENTERPRISE = "commercial_enterprise", _("商业企业")
    RESEARCH_INSTITUTION = "research_institution", _("科研机构")
    SOCIAL_WELFARE_ORG = "social_welfare_org", _("社会公益组织")
    LEGAL_SERVICE_ORG = "legal_service_org", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    POST = "post", _("信函申请")
    IN_PERSON = "in_person", _("当面申请")
    FAX = "fax", _("传真申请")
    ORAL = "oral", _("口头申请（工作人员代为填写）")


# Art. 31: how the receipt date is fixed for each channel, shown to staff when registering.
RECEIPT_RULES = {
    Channel.ONLINE: _("以双方确认之日为收到申请之日（第三十一条第三项）"),
    Channel.POST: _(
        "以签收之日为收到申请之日；无需签收的平常信函，以当日与申请人确认之日为准（第三十一条第二项）"
    ),
    Channel.IN_PERSON: _("以提交之日为收到申请之日（第三十一条第一项）"),
    Channel.FAX: _("以双方确认之日为收到申请之日（第三十一条第三项）"),
    Channel.ORAL: _("由工作人员当场代为填写，以提交之日为收到申请之日（第二十九条、第三十一条第一项）"),
}


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    OTHER = "other", _("其他身份证件")


class InfoForm(models.TextChoices):
    ELECTRONIC = "electronic", _("电子文档")
    PAPER = "paper", _("纸质文本")
    INSPECTION = "inspection", _("当场查阅")


class Delivery(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    POST = "post", _("邮寄")
    COLLECT = "collect", _("当面领取")


class Outcome(models.TextChoices):
    """Exactly one per closed application: the leaf rows of Table 2, section 三."""

    DISCLOSED = "disclosed", _("予以公开")
    PARTIALLY_DISCLOSED = "partially_disclosed", _("部分公开")
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("不予公开：属于国家秘密")
    WITHHELD_LAW = "withheld_law", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SECURITY = "withheld_security", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL = "withheld_internal", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS = "withheld_process", _("不予公开：属于四类过程性信息")
    WITHHELD_ENFORCEMENT = "withheld_enforcement", _("不予公开：属于行政执法案卷")
    WITHHELD_INQUIRY = "withheld_inquiry", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("无法提供：补正后申请内容仍不明确")
    UNPROCESSED_PETITION = "unprocessed_petition", _("不予处理：信访举报投诉类申请")
    UNPROCESSED_REPEAT = "unprocessed_repeat", _("不予处理：重复申请")
    UNPROCESSED_PUBLICATION = "unprocessed_publication", _("不予处理：要求提供公开出版物")
    UNPROCESSED_EXCESSIVE = "unprocessed_excessive", _("不予处理：无正当理由大量反复申请")
    UNPROCESSED_CONFIRMATION = "unprocessed_confirmation", _("不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER_NO_CORRECTION = "other_no_correction", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_FEE_UNPAID = "other_fee_unpaid", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER = "other", _("其他处理：其他")


# Each refusal to disclose (不予公开) is one ground of the shared vocabulary (core/grounds.py):
# the outcome codes stay those of interfaces.md and Table 2, the ground is what they mean.
WITHHELD_GROUND: dict[str, Ground] = {
    Outcome.WITHHELD_STATE_SECRET: Ground.STATE_SECRET,
    Outcome.WITHHELD_LAW: Ground.PROHIBITED_BY_LAW,
    Outcome.WITHHELD_SECURITY: Ground.SECURITY_STABILITY,
    Outcome.WITHHELD_THIRD_PARTY: Ground.THIRD_PARTY,
    Outcome.WITHHELD_INTERNAL: Ground.INTERNAL_AFFAIRS,
    Outcome.WITHHELD_PROCESS: Ground.PROCESS_INFO,
    Outcome.WITHHELD_ENFORCEMENT: Ground.ENFORCEMENT_FILE,
    Outcome.WITHHELD_INQUIRY: Ground.INQUIRY_MATTER,
}
GROUND_OUTCOME: dict[str, str] = {ground: outcome for outcome, ground in WITHHELD_GROUND.items()}

# The groups of Table 2, section 三 (the report's subtotals), each outcome in exactly one.
OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "disclosed": (Outcome.DISCLOSED,),
    "partially_disclosed": (Outcome.PARTIALLY_DISCLOSED,),
    "withheld": tuple(WITHHELD_GROUND),
    "unavailable": (
        Outcome.UNAVAILABLE_NOT_HELD,
        Outcome.UNAVAILABLE_NEEDS_CREATION,
        Outcome.UNAVAILABLE_UNCLEAR,
    ),
    "unprocessed": (
        Outcome.UNPROCESSED_PETITION,
        Outcome.UNPROCESSED_REPEAT,
        Outcome.UNPROCESSED_PUBLICATION,
        Outcome.UNPROCESSED_EXCESSIVE,
        Outcome.UNPROCESSED_CONFIRMATION,
    ),
    "other_handling": (Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID, Outcome.OTHER),
}
OUTCOME_GROUP = {outcome: group for group, outcomes in OUTCOME_GROUPS.items() for outcome in outcomes}
# Outcomes adverse to the applicant: the reply names the remedies, reconsideration first.
ADVERSE = {o for o, group in OUTCOME_GROUP.items() if group != "disclosed"}
# Outcomes the applicant's inaction causes; closed by the clock, not decided.
ABANDONMENT_OUTCOME = {"no_correction": Outcome.OTHER_NO_CORRECTION, "fee_unpaid": Outcome.OTHER_FEE_UNPAID}


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("待确认接收")  # online, until the office confirms receipt
    RECEIVED = "received", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    DECIDED = "decided", _("已决定待送达")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已合并")


TRANSITIONS = {
    (ApplicationState.SUBMITTED, "confirm"): ApplicationState.RECEIVED,
    (ApplicationState.RECEIVED, "request_correction"): ApplicationState.AWAITING_CORRECTION,
    (ApplicationState.AWAITING_CORRECTION, "receive_correction"): ApplicationState.RECEIVED,
    (ApplicationState.RECEIVED, "decide"): ApplicationState.DECIDED,
    (ApplicationState.AWAITING_CORRECTION, "decide"): ApplicationState.DECIDED,  # e.g. unclear after all
    (ApplicationState.DECIDED, "deliver"): ApplicationState.CLOSED,
    (ApplicationState.AWAITING_CORRECTION, "abandon"): ApplicationState.CLOSED,
    (ApplicationState.RECEIVED, "abandon"): ApplicationState.CLOSED,  # fee unpaid
    (ApplicationState.SUBMITTED, "merge"): ApplicationState.MERGED,
    (ApplicationState.RECEIVED, "merge"): ApplicationState.MERGED,
}
OPEN_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.RECEIVED,
    ApplicationState.AWAITING_CORRECTION,
    ApplicationState.DECIDED,
)


def next_state(state: str, event: str) -> str | None:
    return TRANSITIONS.get((state, event))


# The ground of each value redacted from a file provided in a partial disclosure (issue 17
# item 3): personal data (the value publishing calls ``PERSONAL_DATA_GROUND``) or one of the
# withheld outcomes above; no third vocabulary. They fill the reply's withheld-parts list.
PERSONAL_DATA_GROUND = "personal_data"
REDACTION_GROUNDS = [
    (PERSONAL_DATA_GROUND, _("个人信息")),
    *((outcome.value, outcome.label) for outcome in WITHHELD_GROUND),
]


# --- letters as drafts (issue 18 item 2) ----------------------------------------------------


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿待签发")
    SIGNED = "signed", _("已签发")
    VOID = "void", _("已作废")


LETTER_TRANSITIONS = {
    (LetterStatus.DRAFT, "edit"): LetterStatus.DRAFT,
    (LetterStatus.DRAFT, "sign"): LetterStatus.SIGNED,  # the last sign-off numbers it
    (LetterStatus.DRAFT, "void"): LetterStatus.VOID,  # never numbered: nothing in the register
    (LetterStatus.SIGNED, "void"): LetterStatus.VOID,  # keeps its number in the register
}


def next_letter_status(status: str, event: str) -> str | None:
    return LETTER_TRANSITIONS.get((status, event))


# Who signs a letter off before it is numbered and issued, in order (roles of
# agencies.models.Role; "reviewer" is the 法制审核). The regulation names no internal sign-off,
# so the law's default is none: a letter is signed and numbered when it is made, as before.
# The one exception the law itself makes is the extension (Art. 33(2): "经政府信息公开工作机构
# 负责人同意"): a clerk's proposal waits for the office head. An agency's practice goes in the
# setting GONGKAI_LETTER_SIGNOFF, keyed "kind:outcome", "kind:outcome group" or "kind" (first
# match wins), e.g. {"reply": ["office_head"], "reply:withheld": ["office_head", "reviewer",
# "leader"], "reply:partially_disclosed": ["office_head", "reviewer", "leader"]}.
LETTER_SIGNOFF_DEFAULT: dict[str, list[str]] = {}
EXTENSION_PROPOSAL_SIGNOFF = ["office_head"]


def signoff_steps(kind: str, outcome: str = "", config: dict | None = None) -> list[str]:
    """The roles that sign a letter of ``kind`` (and ``outcome``) off, in order."""
    config = LETTER_SIGNOFF_DEFAULT if config is None else config
    for key in (f"{kind}:{outcome}", f"{kind}:{OUTCOME_GROUP.get(outcome, '')}", kind):
        if key in config:
            return list(config[key])
    return []


# --- the case page's actions (issue 18 item 7) ----------------------------------------------


def _event_states(event: str) -> tuple[str, ...]:
    return tuple(state for (state, name) in TRANSITIONS if name == event)


# The groups the case page shows its actions in, in order.
CASE_ACTION_GROUPS = [
    ("handle", _("办理")),
    ("consult", _("补正/征求意见")),
    ("letters", _("文书")),
    ("delivery", _("送达")),
    ("other", _("其他")),
]
# Each action of the case page: its group and the states that allow it. An action that changes
# the state is allowed where the state machine above has its event; the others happen while
# the case is in hand. The page offers an action only in these states (and only to those who
# may take it), so a closed case shows no decision form and a submitted one no fee notice.
CASE_ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "confirm": ("handle", _event_states("confirm")),
    "decide": ("handle", _event_states("decide")),
    "abandon": ("handle", _event_states("abandon")),
    "file": ("handle", (ApplicationState.CLOSED,)),  # 归档 of a case closed before filing existed
    "correction": ("consult", _event_states("request_correction")),
    # a late correction notice leaves the case in hand (received), the correction still awaited
    "correction_receive": ("consult", (*_event_states("receive_correction"), ApplicationState.RECEIVED)),
    "consult": ("consult", (ApplicationState.RECEIVED,)),
    "extend": ("letters", (ApplicationState.RECEIVED,)),
    "propose_extension": ("letters", (ApplicationState.RECEIVED,)),
    "excessive": ("letters", (ApplicationState.RECEIVED,)),
    "later": ("letters", (ApplicationState.RECEIVED,)),
    "fee": ("letters", (ApplicationState.RECEIVED,)),
    "deliver": ("delivery", (*OPEN_STATES[1:], ApplicationState.CLOSED)),
    "matters": ("other", (ApplicationState.RECEIVED,)),
    "merge": ("other", _event_states("merge")),
    "assign": ("other", OPEN_STATES),
}
# The group holding the next step of a case in each state: shown open, the others folded.
NEXT_STEP_GROUP = {
    ApplicationState.SUBMITTED: "handle",
    ApplicationState.RECEIVED: "handle",
    ApplicationState.AWAITING_CORRECTION: "consult",
    ApplicationState.DECIDED: "delivery",
    ApplicationState.CLOSED: "handle",
}


def case_action_allowed(action: str, state: str) -> bool:
    """May ``action`` of the case page happen in ``state``? (Actions not listed: not decided here.)"""
    entry = CASE_ACTIONS.get(action)
    return entry is None or state in entry[1]
