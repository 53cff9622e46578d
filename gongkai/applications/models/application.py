"""An application (申请) and the facts recorded about it: clock events, consultations, fees,
letters, deliveries, files and remedy cases. Nothing is ever deleted, only superseded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from ..rules import (
    OPEN_STATES,
    ApplicantType,
    ApplicationState,
    Channel,
    Delivery,
    IdType,
    InfoForm,
    LetterStatus,
    Outcome,
)


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Application(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="applications"
    )
    tracking_no = models.CharField(_("申请编号"), max_length=32, unique=True)
    query_code_hash = models.CharField(max_length=128)  # the code itself is only ever shown once
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    legacy_ref = models.CharField(_("原系统编号"), max_length=64, blank=True, db_index=True)
    channel = models.CharField(_("申请方式"), max_length=12, choices=Channel.choices)
    applicant_type = models.CharField(_("申请人类型"), max_length=24, choices=ApplicantType.choices)
    name = models.CharField(_("申请人姓名或名称"), max_length=200)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    org_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    description = models.TextField(_("所需信息的内容描述"))
    doc_no = models.CharField(_("文件名称、文号或其他特征"), max_length=300, blank=True)
    purpose = models.CharField(_("用途（可不填）"), max_length=300, blank=True)
    form = models.CharField(_("获取信息的方式"), max_length=12, choices=InfoForm.choices)
    delivery = models.CharField(_("获取信息的途径"), max_length=12, choices=Delivery.choices)
    state = models.CharField(_("状态"), max_length=24, choices=ApplicationState.choices)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    received_on = models.DateField(_("收到申请之日"), null=True, blank=True, db_index=True)
    reply_due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    clock_paused = models.BooleanField(_("计时暂停"), default=False)
    # A correction or fee notice is out and the day the applicant received it is not recorded:
    # the applicant's period cannot start and the case cannot lapse (the "回执未登记" list).
    notice_receipt_missing = models.BooleanField(_("回执未登记"), default=False, db_index=True)
    # 一事一申请 (fees.md): the matters (件) this application holds, for the monthly count.
    matters = models.PositiveSmallIntegerField(_("按件计算的件数"), default=1)
    matters_reason = models.TextField(_("拆分件数的理由"), blank=True)
    # Several applicants acting together: one application, ``name`` is the lead applicant.
    co_applicants = models.TextField(_("共同申请人"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=32, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    other_agency = models.CharField(_("负责该信息的机关及联系方式"), max_length=300, blank=True)
    fee_yuan = models.DecimalField(_("收费金额（元）"), max_digits=10, decimal_places=2, default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    related = models.ManyToManyField("self", blank=True, verbose_name=_("关联申请"))
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    # Set when the applicant's personal data was removed after the retention period
    # (applications/retention.py); the facts the reports count stay.
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["agency", "state", "reply_due_on"]),
            # Covers every column the annual report's Table 2 and fee count read, so a year of a
            # large agency is counted from the index alone (bench/README.md, reports bench).
            models.Index(
                fields=[
                    "agency",
                    "received_on",
                    "closed_on",
                    "applicant_type",
                    "state",
                    "outcome",
                    "fee_yuan",
                ],
                name="application_report_idx",
            ),
            models.Index(fields=["id_number"]),
            # The workbench list (issue 13 §4): an agency's rows in the list's order with the
            # columns its filters test, so count, filter and sort read this narrow index and
            # never the wide rows (SQLite sorts NULLS LAST itself, from the index alone).
            models.Index(
                fields=["agency", "reply_due_on", "-submitted_at", "state", "channel", "assigned_to"],
                name="application_list_idx",
            ),
            # "Mine": without it SQLite picks the assigned_to key alone and reads every row.
            models.Index(
                fields=["assigned_to", "agency", "reply_due_on", "-submitted_at"], name="application_mine_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state=ApplicationState.CLOSED) | ~models.Q(outcome=""),
                name="closed_application_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.description[:30]}"


class ClockEventRecord(models.Model):
    """One clock event (receipt, correction, consultation, fee, extension) with its basis."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="clock_events")
    kind = models.CharField(_("事件"), max_length=32)
    on = models.DateField(_("日期"))
    days = models.PositiveIntegerField(default=0)
    ref = models.CharField(max_length=40, blank=True)
    until = models.DateField(null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("计时事件")
        verbose_name_plural = _("计时事件")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.kind}"


class Consultation(models.Model):
    class Party(models.TextChoices):
        THIRD_PARTY = "third_party", _("第三方")
        AGENCY = "agency", _("其他机关")

    class Answer(models.TextChoices):
        PENDING = "pending", _("待答复")
        CONSENT = "consent", _("同意公开")
        REFUSE = "refuse", _("不同意公开")
        SILENT = "silent", _("逾期未答复")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="consultations")
    party = models.CharField(_("征求对象类型"), max_length=12, choices=Party.choices)
    party_name = models.CharField(_("征求对象"), max_length=200)
    started_on = models.DateField(_("发出日期"))
    party_received_on = models.DateField(_("对方收到日期"), null=True, blank=True)
    answer_due_on = models.DateField(_("答复期限"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer = models.CharField(_("意见"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    reasons = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self) -> str:
        return f"{self.party_name} {self.get_answer_display()}"


class FeeNotice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="fees")
    method = models.CharField(_("计收方式"), max_length=12)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    basis = models.TextField(_("计收依据"))
    nth_in_month = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    sent_on = models.DateField(_("通知日期"))
    pay_by = models.DateField(_("缴费期限"), null=True, blank=True)
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    paid_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    receipt_no = models.CharField(_("票据号"), max_length=60, blank=True)
    waived = models.BooleanField(_("减免"), default=False)
    waived_to = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    waiver_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refunded_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("收费通知")
        verbose_name_plural = _("收费通知")

    def __str__(self) -> str:
        return f"{self.amount} 元"


class LetterSequence(models.Model):
    """Letter numbers (××公复〔2026〕12号) per agency and year, gap-free like index numbers."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_letter_sequence")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.last}"


class Letter(models.Model):
    """A letter as sent: its rendered text is frozen; PDF and DOCX are made from it."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=40)
    outcome = models.CharField(max_length=32, blank=True)
    letter_no = models.CharField(_("文号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    paragraphs = models.JSONField(default=list)
    seal_lines = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Issue 18 item 2: a letter is a draft until signed (numbered at signing); a voided letter
    # stays in the register with its number. Existing letters were issued when made: signed.
    status = models.CharField(
        _("状态"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.SIGNED
    )
    signoff_steps = models.JSONField(default=list, blank=True)  # roles that must sign, in order
    signoffs = models.JSONField(default=list, blank=True)  # [{"role", "user_id", "at"}] given so far
    draft_context = models.JSONField(default=dict, blank=True)  # the fields the template is filled with
    signed_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(_("作废理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.letter_no}"


class LetterTemplate(models.Model):
    """An agency's edited version of a letter template (default: letters.default_template)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True)
    kind = models.CharField(_("文书类型"), max_length=40)
    outcome = models.CharField(max_length=32, blank=True)
    text = models.TextField(_("模板"))

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "outcome"], name="unique_letter_template")
        ]

    def __str__(self) -> str:
        return f"{self.agency or '默认'} {self.kind} {self.outcome}"


class DeliveryRecord(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="deliveries")
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    method = models.CharField(_("送达方式"), max_length=12, choices=Delivery.choices)
    on = models.DateField(_("送达日期"))
    proof = models.CharField(_("送达凭证"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")

    def __str__(self) -> str:
        return f"{self.on} {self.get_method_display()}"


def application_file_path(instance, filename: str) -> str:
    return f"applications/{filename}"


class ApplicationFile(models.Model):
    class Kind(models.TextChoices):
        IDENTITY_PROOF = "identity_proof", _("身份证明")
        PROVIDED = "provided", _("提供的信息")
        PROVIDED_ORIGINAL = "provided_original", _("提供信息的原件（仅内部）")
        OTHER = "other", _("其他材料")
        # Paperwork in and out (issue 18 item 3): scans kept with the file, staff only.
        LETTER_SCAN = "letter_scan", _("申请信函（扫描件）")
        ENVELOPE = "envelope", _("信封（扫描件）")
        ORAL_RECORD = "oral_record", _("口头申请记录（签字扫描件）")
        OPINION = "opinion", _("第三方书面意见（扫描件）")
        DELIVERY_RECEIPT = "delivery_receipt", _("送达回证（扫描件）")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=application_file_path, max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # A provided file's redactions: the ground of each value redacted (rules.REDACTION_GROUNDS),
    # one entry a value, never the value; they fill the partial disclosure's withheld parts.
    redaction_grounds = models.JSONField(_("遮盖依据"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.title


class RemedyCase(models.Model):
    """Administrative reconsideration or litigation about an application (annual report Table 3)."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LITIGATION_DIRECT = "litigation_direct", _("未经复议直接起诉")
        LITIGATION_AFTER = "litigation_after_reconsideration", _("复议后起诉")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="remedy_cases")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    filed_on = models.DateField(_("立案日期"))
    decided_on = models.DateField(_("结案日期"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=12, choices=Result.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("复议诉讼案件")
        verbose_name_plural = _("复议诉讼案件")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"
