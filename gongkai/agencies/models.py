"""Agencies (行政机关), their disclosure offices, reading points and staff roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.checksums import is_valid_agency_code


def validate_agency_code(value: str) -> None:
    if not is_valid_agency_code(value):
        raise ValidationError(
            _("“%(code)s”不是有效的统一社会信用代码或组织机构代码（校验位不符）。"), params={"code": value}
        )


class AgencyLevel(models.TextChoices):
    # The State Council, its departments and the other central state organs (the NPC).
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县（区）级")
    TOWNSHIP = "township", _("乡镇（街道）")
    DEPARTMENT = "department", _("工作部门")
    INSTITUTION = "institution", _("事业单位及公共企事业单位")


# The levels that are people's governments (人民政府); the others are their departments and units.
GOVERNMENT_LEVELS = (AgencyLevel.PROVINCE, AgencyLevel.CITY, AgencyLevel.COUNTY, AgencyLevel.TOWNSHIP)


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def below(self, agency: "Agency"):
        """The agency and every agency under it in the tree."""
        return self.filter(models.Q(pk=agency.pk) | models.Q(path__startswith=agency.path + "/"))


class Agency(models.Model):
    """An administrative agency that discloses information. ``path`` is the materialised
    chain of ancestor ids, so "every agency below" is one indexed prefix query."""

    code = models.CharField(_("机构代码"), max_length=18, unique=True, validators=[validate_agency_code])
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    competent_authority = models.ForeignKey(
        "self",
        verbose_name=_("政府信息公开工作主管部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised",
    )
    website = models.URLField(_("网站"), blank=True)
    functions = models.TextField(_("机构职能"), blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Remedies (行政复议法 2023, Art. 24-27): who hears a reconsideration of this agency's decisions
    # and which court hears a suit. Letters name both with their address; an agency without them
    # cannot issue a letter that names them (``remedy_missing``).
    vertically_led = models.BooleanField(
        _("实行垂直领导"),
        default=False,
        help_text=_(
            "海关、金融、外汇管理、税务、国家安全等实行垂直领导的机关：行政复议机关为上一级主管部门。"
        ),
    )
    reconsideration_body = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    reconsideration_address = models.CharField(_("行政复议机关地址"), max_length=300, blank=True)
    court = models.CharField(_("管辖人民法院"), max_length=200, blank=True)
    court_address = models.CharField(_("人民法院地址"), max_length=300, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政机关")
        verbose_name_plural = _("行政机关")
        ordering = ["path", "sort_order"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = (self.parent.path + "/" if self.parent_id else "") + str(self.pk)
        if new_path != self.path:
            old = self.path
            Agency.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old:  # moved: re-root the subtree
                for child in Agency.objects.filter(path__startswith=old + "/"):
                    Agency.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old) :])

    def clean(self) -> None:
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": _("上级机关不能是本机关或其下级。")})
            node = node.parent

    @property
    def display_short(self) -> str:
        return self.short_name or self.name

    def ancestors(self) -> list["Agency"]:
        ids = [int(x) for x in self.path.split("/")[:-1] if x]
        by_id = Agency.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def reconsideration_body_default(self) -> str:
        """Who hears a reconsideration under the 2023 Reconsideration Law, by its rule, for a
        suggestion only (the agency confirms it): a vertically led agency, its superior agency
        (Art. 27); a department or unit, the people's government at its level (Art. 24(1)(1), (4));
        a government, the government above it (Art. 24(1)(2)); a province, itself (Art. 24(2));
        a national agency, itself (Art. 25(1))."""
        parent = self.parent
        if self.level == AgencyLevel.NATIONAL and not self.vertically_led:
            # Art. 25(1): a State Council department hears reconsiderations of its own acts.
            return self.name
        if self.vertically_led:
            return parent.name if parent else ""
        if self.level in GOVERNMENT_LEVELS:
            return parent.name if parent and parent.level in GOVERNMENT_LEVELS else self.name
        node = parent
        while node is not None and node.level not in GOVERNMENT_LEVELS:
            node = node.parent
        return node.name if node else ""

    def remedy_missing(self, *, court: bool = True) -> list[str]:
        """Labels of the remedy facts a letter must name and this agency has not recorded."""
        names = ["reconsideration_body", "reconsideration_address"] + (
            ["court", "court_address"] if court else []
        )
        return [
            str(self._meta.get_field(name).verbose_name) for name in names if not getattr(self, name).strip()
        ]


class DisclosureOffice(models.Model):
    """The agency's government-information-disclosure office (Art. 4), shown in its guide."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="office")
    name = models.CharField(_("机构名称"), max_length=200)
    address = models.CharField(_("办公地址"), max_length=300, blank=True)
    hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    fax = models.CharField(_("传真"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    website = models.URLField(_("网址"), blank=True)
    # The last day the office changed these details or stated they are still accurate: the
    # guide is generated on every request, so what can go stale is only what the office keeps.
    # Null: never. Set by the services (agency_upsert, office_update, guide_confirm), never by hand.
    guide_reviewed_on = models.DateField(_("指南更新日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("政府信息公开工作机构")
        verbose_name_plural = _("政府信息公开工作机构")

    def __str__(self) -> str:
        return self.name


class ReadingPoint(models.Model):
    """Archives, libraries and service centres that receive an agency's documents (Art. 25)."""

    class Kind(models.TextChoices):
        ARCHIVE = "archive", _("国家档案馆")
        LIBRARY = "library", _("公共图书馆")
        SERVICE_CENTRE = "service_centre", _("政务服务场所")
        OTHER = "other", _("其他")

    agencies = models.ManyToManyField(Agency, related_name="reading_points", verbose_name=_("服务机关"))
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("查阅场所")
        verbose_name_plural = _("查阅场所")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CLERK = "clerk", _("经办人")
    REVIEWER = "reviewer", _("审核人")
    OFFICE_HEAD = "office_head", _("公开办负责人")
    LEADER = "leader", _("机关领导")
    ADMINISTRATOR = "administrator", _("管理员")
    SUPERVISOR = "supervisor", _("主管部门监督员")


class StaffRole(models.Model):
    """A staff member's role in one agency. Scope: the agency itself, and for supervisors
    every agency below it (catalogue.md, "Agencies")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff_roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("人员角色")
        verbose_name_plural = _("人员角色")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_staff_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


class GuideText(models.Model):
    """What the office writes into its disclosure guide (公开指南, Art. 12) beyond its contact
    details: what the agency discloses proactively (scope and categories, e.g. the Art. 20 list)
    and its other channels (WeChat account, hotline). Every save is a new version; the newest is
    the one the guide shows, the older ones are the guide's version history. Written only by
    services.guide_text_update."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="guide_texts")
    version = models.PositiveIntegerField(_("版本"))
    proactive_scope = models.TextField(_("主动公开的范围和类别"), blank=True)
    wechat = models.CharField(_("政务微信公众号"), max_length=100, blank=True)
    hotline = models.CharField(_("咨询热线"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("保存时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("公开指南内容")
        verbose_name_plural = _("公开指南内容")
        ordering = ["agency", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="unique_guide_text_version")
        ]

    def __str__(self) -> str:
        return f"{self.agency} · v{self.version}"
