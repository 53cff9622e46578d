"""Proactive disclosure (主动公开): review chains, submissions through them, scan findings to
settle, publication deadlines and timeliness figures. Rules are in rules.py; every change goes
through services.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Attachment, Document
from gongkai.core.scan.parts import part_label

from .rules import (
    DEFAULT_CHAIN,
    OPEN_STATES,
    DeadlineUnit,
    Decision,
    InfoType,
    NonDisclosureGround,
    StepSpec,
    SubmissionKind,
    SubmissionState,
    chain_from_data,
)


class ReviewChain(models.Model):
    """An agency's review chain (保密审查流程) after the originator's opinion; agencies without
    one use the default chain of rules.py."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="review_chain")
    steps = models.JSONField(
        _("审查步骤"),
        help_text=_('例如 [{"key": "unit_head", "label": "处室负责人审核", "role": "reviewer"}]'),
    )

    class Meta:
        verbose_name = _("审查链")
        verbose_name_plural = _("审查链")

    def __str__(self) -> str:
        return f"{self.agency} 审查链"

    def clean(self):
        try:
            chain_from_data(self.steps if isinstance(self.steps, list) else [])
        except ValueError as exc:
            raise ValidationError({"steps": str(exc)}) from exc


class DeadlineRule(models.Model):
    """A publication deadline for an information type: per agency, or for every agency when
    ``agency`` is empty. Without a rule the statutory 20 working days apply (Art. 26)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="deadline_rules"
    )
    info_type = models.CharField(_("信息类型"), max_length=16, choices=InfoType.choices)
    amount = models.PositiveIntegerField(_("期限"))
    unit = models.CharField(
        _("单位"), max_length=10, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKDAYS
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("公开时限规则")
        verbose_name_plural = _("公开时限规则")
        constraints = [
            models.UniqueConstraint(fields=["agency", "info_type"], name="unique_deadline_rule"),
            models.UniqueConstraint(
                fields=["info_type"],
                condition=models.Q(agency__isnull=True),
                name="unique_default_deadline_rule",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=1), name="deadline_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.agency or '全部机关'} · {self.get_info_type_display()} · {self.amount}{self.get_unit_display()}"


class SubmissionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def with_clock(self):
        """Submissions whose record has a publication deadline (proactive, not yet published)."""
        return self.filter(kind=SubmissionKind.PUBLISH, due_at__isnull=False, state__in=OPEN_STATES)

    def overdue(self, now=None):
        return self.with_clock().filter(due_at__lt=now or timezone.now())

    def due_between(self, start, end):
        return self.with_clock().filter(due_at__gte=start, due_at__lt=end)


class Submission(models.Model):
    """A record on its way through review: the first publication of a drafted document, or a
    withdrawal or validity change of a published one. Facts are stored (formation time, due
    time, each step's action); "overdue" is derived on read."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="submissions")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(_("事项"), max_length=12, choices=SubmissionKind.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    chain = models.JSONField(_("审查链快照"), default=list)
    step = models.PositiveSmallIntegerField(_("当前步骤"), default=0)
    round = models.PositiveSmallIntegerField(_("送审轮次"), default=0)
    version = models.PositiveIntegerField(default=0)  # optimistic lock for concurrent reviewers
    info_type = models.CharField(
        _("信息类型"), max_length=16, choices=InfoType.choices, default=InfoType.DOCUMENT
    )
    formed_at = models.DateTimeField(_("形成（变更）时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("公开期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    due_explanation = models.CharField(_("期限计算说明"), max_length=300, blank=True)
    publish_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    payload = models.JSONField(_("变更内容"), default=dict, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    original_text = models.JSONField(_("脱敏前文本（仅内部）"), default=dict, blank=True)
    # What sanitising removed from each published attachment (sanitise.py), for the review
    # page: [{"attachment": pk, "title": str, "removed": [label, ...], "pictures": [...]}].
    sanitise_report = models.JSONField(_("净化记录"), default=list, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("送审单")
        verbose_name_plural = _("送审单")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["agency", "state"]), models.Index(fields=["state", "publish_at"])]
        constraints = [
            # One open publication per document: a second one would race the first.
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(state__in=list(OPEN_STATES)),
                name="one_open_submission_per_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.document.title}"

    @property
    def steps(self) -> tuple[StepSpec, ...]:
        if not self.chain:
            return DEFAULT_CHAIN
        return tuple(StepSpec(**s) for s in self.chain)

    @property
    def current_step(self) -> StepSpec | None:
        if self.state != SubmissionState.IN_REVIEW:
            return None
        return self.steps[self.step]

    def is_overdue(self, now=None) -> bool:
        return bool(self.due_at and self.state in OPEN_STATES and (now or timezone.now()) > self.due_at)


class ReviewAction(models.Model):
    """One step's decision: who, when, what, and the opinion (the history on the record)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="actions")
    round = models.PositiveSmallIntegerField(_("送审轮次"))
    step = models.PositiveSmallIntegerField(_("步骤"))
    step_key = models.CharField(max_length=40)
    step_label = models.CharField(_("环节"), max_length=100)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("决定"), max_length=10, choices=Decision.choices)
    opinion = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审查记录")
        verbose_name_plural = _("审查记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.step_label} · {self.get_decision_display()}"


class FindingDecision(models.TextChoices):
    PENDING = "pending", _("待处理")
    REDACT = "redact", _("删除（脱敏）")
    KEEP = "keep", _("保留")
    # Secrecy marks only, by the secrecy reviewer (the disclosure office): the document may be
    # published because it was declassified (the record is named in the reason), or because
    # the mark is not the document's own (it quotes another document). A secrecy mark is never
    # redacted or simply kept: a classified document is not published with its mark blacked out.
    DECLASSIFIED = "declassified", _("已解密（有解密记录）")
    NOT_OWN = "not_own", _("非本文件密级标志（引用他文）")


SECRECY_DECISIONS = (FindingDecision.DECLASSIFIED, FindingDecision.NOT_OWN)

# The ground of each redaction (finding deleted or manual redaction): personal data, or one of
# the 不予公开 grounds of Art. 14-16. It fills the list of withheld parts on the record page.
PERSONAL_DATA_GROUND = "personal_data"
REDACTION_GROUNDS = [(PERSONAL_DATA_GROUND, _("个人信息")), *NonDisclosureGround.choices]


def ground_label(ground: str) -> str:
    return str(dict(REDACTION_GROUNDS).get(ground, ground))


class ScanFinding(models.Model):
    """A pre-scan finding in the body or an attachment, to be settled before approval. ``value``
    holds the matched text (needed to redact it); it is shown masked everywhere."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="findings")
    # title, summary, keywords, body, attachment (its content), attachment_title, attachment_name
    field = models.CharField(max_length=20, default="body")
    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    part = models.CharField(_("文件部位"), max_length=300, blank=True)  # parts.py's part name
    kind = models.CharField(_("类型"), max_length=20)
    confidence = models.CharField(_("可信度"), max_length=10)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    value = models.CharField(max_length=300)
    excerpt = models.CharField(_("摘录（已遮蔽）"), max_length=300)
    decision = models.CharField(
        _("处理"), max_length=16, choices=FindingDecision.choices, default=FindingDecision.PENDING
    )
    reason = models.CharField(_("保留理由或解密记录"), max_length=300, blank=True)
    # The ground of a deletion (REDACTION_GROUNDS); empty until the finding is redacted.
    ground = models.CharField(_("不公开理由"), max_length=32, blank=True)
    # Where an OCR finding is on the page (an image has no text to delete): [[page, x0, y0,
    # x1, y1], ...] in PDF points of the page as PyMuPDF shows it; the areas are removed.
    boxes = models.JSONField(_("页面区域"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("扫描发现")
        verbose_name_plural = _("扫描发现")
        ordering = ["attachment_id", "start", "id"]

    def __str__(self) -> str:
        return f"{self.source_label} · {self.kind} · {self.excerpt}"

    @property
    def source_label(self) -> str:
        if self.attachment_id:
            where = {
                "attachment_title": "附件名称",
                "attachment_name": "附件原文件名",
            }.get(self.field) or (part_label(self.part) if self.part else "")
            return f"附件：{self.attachment.title}" + (f" · {where}" if where else "")
        return {"title": "标题", "summary": "内容概述", "keywords": "主题词"}.get(self.field, "正文")


class ManualRedaction(models.Model):
    """A redaction a reviewer added by hand: a value the scanner missed (removed wherever it
    is, like a finding settled as deleted) or an area drawn on a page of a PDF attachment (the
    pixels and text under it removed). Removing one is audited; the row is then marked
    removed, never deleted."""

    VALUE, AREA = "value", "area"
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="manual_redactions")
    kind = models.CharField(max_length=8, choices=[(VALUE, _("按内容")), (AREA, _("页面区域"))])
    value = models.CharField(_("内容"), max_length=300, blank=True)
    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    page = models.PositiveIntegerField(_("页码"), null=True, blank=True)  # 1-based
    # [x0, y0, x1, y1] in PDF points (PyMuPDF page coordinates, origin top left).
    box = models.JSONField(_("区域"), default=list, blank=True)
    ground = models.CharField(_("不公开理由"), max_length=32, choices=REDACTION_GROUNDS)
    places = models.JSONField(_("所在位置"), default=list, blank=True)  # labels, for the page
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("人工遮盖")
        verbose_name_plural = _("人工遮盖")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.ground_label}"

    @property
    def ground_label(self) -> str:
        return ground_label(self.ground)


class ImagePage(models.Model):
    """A page (or a picture on a page) of a PDF attachment that has no readable text: read by
    OCR (``text`` and ``words`` hold what was read, findings in it are placed from the word
    positions) or, when OCR is unavailable or failed, held until a reviewer confirms it after
    looking at it (or draws an area on it). Never published unread."""

    OCR, HELD = "ocr", "held"
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="image_pages")
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="+")
    page = models.PositiveIntegerField(_("页码"))  # 1-based
    reason = models.CharField(_("原因"), max_length=100)  # why it was looked at (Chinese)
    method = models.CharField(
        _("处理方式"), max_length=8, choices=[(OCR, _("已文字识别")), (HELD, _("待人工确认"))]
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)  # why OCR did not run
    text = models.TextField(_("识别文字"), blank=True)
    # [[text, x0, y0, x1, y1], ...] per line, words in PDF points: where OCR read each word.
    words = models.JSONField(default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("图像页")
        verbose_name_plural = _("图像页")
        ordering = ["attachment_id", "page", "id"]

    def __str__(self) -> str:
        return f"{self.attachment} · {self.page}"

    @property
    def pending(self) -> bool:
        return self.method == self.HELD and self.confirmed_at is None


def original_path(instance, filename: str) -> str:
    return f"originals/{filename}"


class SealedOriginal(models.Model):
    """An attachment as it was before redaction: kept for the agency only, never served to the
    public (it lives outside the attachments folder and no public view reads this table)."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="originals")
    attachment = models.ForeignKey(Attachment, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=original_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("脱敏前原件")
        verbose_name_plural = _("脱敏前原件")

    def __str__(self) -> str:
        return self.title


class TimelinessFigure(models.Model):
    """Publication timeliness per agency and month (for assessment and the annual report):
    recomputed from the submissions whenever one in that month is published."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="timeliness")
    month = models.DateField(_("月份"))  # first day of the month
    on_time = models.PositiveIntegerField(_("按时公开"), default=0)
    late = models.PositiveIntegerField(_("逾期公开"), default=0)
    days_late = models.PositiveIntegerField(_("逾期天数合计"), default=0)

    class Meta:
        verbose_name = _("公开及时性")
        verbose_name_plural = _("公开及时性")
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="unique_timeliness_month")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.month:%Y-%m}"
