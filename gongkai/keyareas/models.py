"""Key areas (重点领域) with their standard disclosure catalogues (主动公开基本目录), and the
structured records that owe disclosures against them: procurement projects, major construction
projects and each agency's yearly budget and final accounts.

Facts are stored (when the information was formed, the computed due date, the fulfilling
document); whether a disclosure was in time, late or is missing is derived on read (rules.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document

from .rules import DueUnit, RecordKind


class KeyArea(models.Model):
    """A key area and the version of its catalogue now loaded (catalogue file, docs/keyareas.md)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    basis = models.TextField(_("依据"), blank=True)
    record_kind = models.CharField(
        _("结构化记录"), max_length=16, choices=RecordKind.choices, blank=True, unique=True, null=True
    )
    version = models.CharField(_("目录版本"), max_length=40)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("重点领域")
        verbose_name_plural = _("重点领域")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class KeyAreaVersion(models.Model):
    """One loaded version of an area's catalogue, kept whole: what the catalogue said when."""

    area = models.ForeignKey(KeyArea, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("目录版本"), max_length=40)
    loaded_at = models.DateTimeField(_("载入时间"))
    loaded_by = models.CharField(_("载入人"), max_length=150)
    sha256 = models.CharField(max_length=64)
    snapshot = models.JSONField(_("目录内容"))

    class Meta:
        verbose_name = _("重点领域目录版本")
        verbose_name_plural = _("重点领域目录版本")
        ordering = ["area", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["area", "version"], name="unique_keyarea_version")]

    def __str__(self) -> str:
        return f"{self.area.name} {self.version}"


class StandardItem(models.Model):
    """One item of an area's standard catalogue. Items dropped by a newer version are retired,
    never deleted: the records that owe them keep pointing at them."""

    area = models.ForeignKey(KeyArea, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("代码"), max_length=40)
    matter = models.CharField(_("公开事项"), max_length=200)
    content = models.TextField(_("公开内容"))
    basis = models.TextField(_("公开依据"))
    deadline = models.CharField(_("公开时限"), max_length=200)
    due_unit = models.CharField(_("时限单位"), max_length=12, choices=DueUnit.choices)
    due_n = models.PositiveSmallIntegerField(_("时限数值"))
    subject = models.CharField(_("公开主体"), max_length=200)
    channels = models.CharField(_("公开渠道"), max_length=300)
    audience = models.CharField(_("公开对象"), max_length=100)
    method = models.CharField(_("公开方式"), max_length=40)
    is_stage = models.BooleanField(_("记录的环节"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    retired = models.BooleanField(_("已停用"), default=False)

    class Meta:
        verbose_name = _("标准目录事项")
        verbose_name_plural = _("标准目录事项")
        ordering = ["area", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="unique_standard_item")]

    def __str__(self) -> str:
        return f"{self.area.name} · {self.matter}"


class Project(models.Model):
    """A structured record owing disclosures: a procurement project (预算金额 shown with it), a
    major construction project, or an agency's budget and final accounts of one year."""

    area = models.ForeignKey(
        KeyArea, verbose_name=_("重点领域"), on_delete=models.PROTECT, related_name="projects"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("公开主体"), on_delete=models.PROTECT, related_name="keyarea_projects"
    )
    number = models.CharField(_("项目编号"), max_length=60)
    title = models.CharField(_("项目名称"), max_length=300)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("预算金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    summary = models.TextField(_("项目概况"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("重点领域项目")
        verbose_name_plural = _("重点领域项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "area", "number"], name="unique_keyarea_project_number"
            ),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="keyarea_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Obligation(models.Model):
    """One disclosure a project owes (one stage item of its area): the day its information was
    formed or changed, the due date computed then, and the public document that fulfils it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="obligations")
    item = models.ForeignKey(
        StandardItem, verbose_name=_("公开事项"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("信息形成或变更日期"), null=True, blank=True)
    due_on = models.DateField(_("公开期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    document = models.ForeignKey(
        Document,
        verbose_name=_("公开文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="keyarea_obligations",
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("应公开事项")
        verbose_name_plural = _("应公开事项")
        ordering = ["project", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "item"], name="unique_obligation_item"),
            models.CheckConstraint(
                condition=models.Q(occurred_on__isnull=True) | models.Q(due_on__isnull=False),
                name="obligation_occurred_has_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.item.matter}"
