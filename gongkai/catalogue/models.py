"""The disclosure catalogue (公开目录): documents with the metadata of catalogue.md."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from .index_numbers import pattern_problem


class Subject(models.Model):
    """Subject taxonomy (主题分类), two levels; agencies may add local second-level entries."""

    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("本地分类所属机关"), null=True, blank=True, on_delete=models.CASCADE
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_subject_name"),
            # NULLs are distinct in a unique index, so top-level names need their own rule.
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="unique_top_level_subject_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    @property
    def top(self) -> "Subject":
        return self.parent if self.parent_id else self


class Genre(models.Model):
    """Genre list (体裁分类)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("体裁分类")
        verbose_name_plural = _("体裁分类")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Validity(models.TextChoices):
    IN_FORCE = "in_force", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")
    AMENDED = "amended", _("已修改")


class DisclosureAttribute(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_APPLICATION = "on_application", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class Visibility(models.TextChoices):
    """Who may see the item, kept apart from any workflow state (STYLE.md, habit 4)."""

    INTERNAL = "internal", _("仅内部目录")
    PUBLIC = "public", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("年")
    MONTH = "month", _("月")
    DAY = "day", _("日")


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Proactively disclosed and published: what the portal, API and search show (the same
        test as ``Document.is_public``: keep the two in step)."""
        return self.filter(visibility=Visibility.PUBLIC, disclosure_attribute=DisclosureAttribute.PROACTIVE)


class DocumentImport(models.Model):
    """One run of `gongkai import-documents`: historical documents that were already public
    elsewhere come in through it, the only way into the public catalogue besides the review
    chain. Documents it created or updated point to it (who, when, which file)."""

    agency = models.ForeignKey(Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    imported_by_label = models.CharField(_("导入人标识"), max_length=150)
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    file_name = models.CharField(_("文件名"), max_length=500, blank=True)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("文件导入记录")
        verbose_name_plural = _("文件导入记录")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.imported_at:%Y-%m-%d %H:%M} {self.imported_by_label} {self.file_name or self.sha256[:12]}"
        )


class Document(models.Model):
    """One catalogue item. ``index_no`` is permanent once assigned (catalogue.md)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("发布机关"), on_delete=models.PROTECT, related_name="documents"
    )
    # Issuing agencies (发文机关) as agency codes, the lead first; several for a joint issuance
    # (联合发文). Empty: the publishing agency alone issued it.
    issuers = models.JSONField(_("发文机关"), default=list, blank=True)
    # Kept verbatim when imported (the number the agency already published); allocated in the
    # agency's format (IndexNumberScheme) on publication otherwise.
    index_no = models.CharField(_("索引号"), max_length=64, unique=True, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=500)
    # Normalised to 〔〕 (numbers.canonical_doc_no) for display and search; the original as
    # typed is kept beside it when it differs.
    doc_no = models.CharField(_("发文字号"), max_length=100, blank=True)
    doc_no_original = models.CharField(_("发文字号（原文）"), max_length=100, blank=True)
    normative_no = models.CharField(_("规范性文件登记号"), max_length=60, blank=True)
    # A date is stored as its first day with a precision: a year-only item shows "1954年",
    # and the API returns "1954" (dates.py).
    written_on = models.DateField(_("成文日期"))
    written_on_precision = models.CharField(
        _("成文日期精度"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    published_on_precision = models.CharField(
        _("发布日期精度"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    expires_on = models.DateField(_("废止日期"), null=True, blank=True)
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    genre = models.ForeignKey(
        Genre,
        verbose_name=_("体裁分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    topics = models.JSONField(_("组配分类"), default=list, blank=True)
    audiences = models.JSONField(_("服务对象"), default=list, blank=True)
    validity = models.CharField(
        _("有效性"), max_length=16, choices=Validity.choices, default=Validity.IN_FORCE
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("被以下文件废止或修改"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    clarifies = models.ForeignKey(
        "self",
        verbose_name=_("澄清的信息"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clarifications",
        help_text=_("《条例》第六条：对不准确信息的澄清，与被澄清的信息互相链接"),
    )
    withdrawn_reason = models.CharField(_("撤回理由"), max_length=300, blank=True)
    disclosure_attribute = models.CharField(
        _("公开属性"),
        max_length=20,
        choices=DisclosureAttribute.choices,
        default=DisclosureAttribute.PROACTIVE,
    )
    non_disclosure_ground = models.CharField(_("不予公开或依申请公开理由"), max_length=300, blank=True)
    channels = models.JSONField(_("公开方式"), default=list, blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    keywords = models.CharField(_("主题词"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True)
    interprets = models.ManyToManyField(
        "self",
        verbose_name=_("解读的政策文件"),
        symmetrical=False,
        blank=True,
        related_name="interpretations",
    )
    source_url = models.URLField(_("来源网址"), max_length=1000, blank=True, db_index=True)
    visibility = models.CharField(
        _("可见性"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    # Set when the document came in (or was last updated) through an import rather than the
    # review chain; such a document is never edited outside a review or a re-import.
    imported_from = models.ForeignKey(
        DocumentImport,
        verbose_name=_("导入来源"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["agency", "visibility", "published_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility="public")
                | models.Q(index_no__isnull=False, published_on__isnull=False),
                name="public_document_has_index_no_and_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """``Document.objects.public()``'s test on this instance as it is in memory (the search
        index's import feed decides with it which new documents to index)."""
        return (
            self.visibility == Visibility.PUBLIC
            and self.disclosure_attribute == DisclosureAttribute.PROACTIVE
        )

    @property
    def year(self) -> int:
        return self.written_on.year

    def issuer_agencies(self) -> list[Agency]:
        """The issuing agencies, lead first (the publishing agency when none are recorded);
        a code no longer in the directory is skipped."""
        if not self.issuers:
            return [self.agency]
        by_code = {a.code: a for a in Agency.objects.filter(code__in=self.issuers)}
        return [by_code[c] for c in self.issuers if c in by_code]

    @property
    def is_joint(self) -> bool:
        return len(self.issuers) > 1


class IndexSequence(models.Model):
    """Last index-number sequence used per agency and period (a year, or a month of it when
    the agency's format has ``{month}``; month 0 stands for the whole year); the row lock
    makes allocation gap-free and safe when several processes publish at once."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(default=0)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "month"], name="unique_index_sequence_period")
        ]

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.agency_id}/{period}: {self.last}"


class IndexNumberScheme(models.Model):
    """The agency's own index-number (索引号) format, for the numbers the platform allocates:
    placeholders ``{code}`` (the agency code), ``{region}``, ``{prefix}``, ``{year}``,
    ``{month}`` (two digits) and ``{seq:N}`` (sequence, N digits). Agencies without one use
    settings.GONGKAI_INDEX_NUMBER_FORMAT."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("机关"), on_delete=models.CASCADE, related_name="index_number_scheme"
    )
    pattern = models.CharField(
        _("索引号格式"),
        max_length=100,
        help_text=_(
            "可用：{code} 机构代码、{region} 区划代码、{prefix} 站点前缀、{year} 年、{month} 月、{seq:5} 五位序号。"
        ),
    )
    region = models.CharField(_("区划代码"), max_length=20, blank=True)
    prefix = models.CharField(_("前缀"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("索引号格式")
        verbose_name_plural = _("索引号格式")

    def __str__(self) -> str:
        return f"{self.agency}: {self.pattern}"

    def clean(self) -> None:
        problem = pattern_problem(self.pattern, region=self.region, prefix=self.prefix)
        if problem:
            raise ValidationError({"pattern": problem})


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Uploaded names are never used as paths (security.md): a random name keeps the extension.
    return f"attachments/{instance.storage_name}"


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=300)
    storage_name = models.CharField(max_length=80, unique=True)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(_("提取文本"), blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.title
