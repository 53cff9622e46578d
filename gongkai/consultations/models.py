"""A consultation on a draft decision (征求意见), its comments, the groups the office sorts them
into with their adoption decisions, and hearings (听证) with registrations.

The draft (征求意见稿, with its 起草说明 as the summary) and the adoption report (意见采纳情况)
are catalogue documents that reach the public only through the publishing review chain; a
consultation points to them and to the submissions that carry them. Its phase is derived on
read from those documents' visibility and its dates (rules.phase)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document, Visibility
from gongkai.publishing.models import Submission

from .rules import Adoption, HearingState, IdentityRule, Moderation


class ConsultationQuerySet(models.QuerySet):
    def published(self):
        """Consultations whose draft is public: what the portal and the API list."""
        return self.filter(draft__visibility=Visibility.PUBLIC)

    def open_on(self, today):
        """Taking comments on ``today``."""
        return self.published().filter(cancelled_at__isnull=True, opens_on__lte=today, closes_on__gte=today)


class Consultation(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("决策机关"), on_delete=models.PROTECT, related_name="consultations"
    )
    draft = models.OneToOneField(
        Document, verbose_name=_("征求意见稿"), on_delete=models.PROTECT, related_name="consultation"
    )
    draft_submission = models.ForeignKey(
        Submission, verbose_name=_("征求意见稿审查"), on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField(_("征求意见开始日期"))
    closes_on = models.DateField(_("征求意见截止日期"), db_index=True)
    short_period_reason = models.TextField(_("期限少于30日的理由"), blank=True)
    identity_rule = models.CharField(
        _("署名要求"), max_length=12, choices=IdentityRule.choices, default=IdentityRule.ANONYMOUS_ALLOWED
    )
    report = models.OneToOneField(
        Document,
        verbose_name=_("意见采纳情况"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoption_report_of",
    )
    report_submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    final_document = models.ForeignKey(
        Document,
        verbose_name=_("正式决策文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafts_consulted",
    )
    interpretation = models.ForeignKey(
        Document,
        verbose_name=_("政策解读"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("终止理由"), blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("决策草案征求意见")
        verbose_name_plural = _("决策草案征求意见")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.draft.title if self.draft_id else f"consultation {self.pk}"


class CommentGroup(models.Model):
    """Comments of the same substance, answered once (意见归类) with the adoption decision."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    summary = models.TextField(_("意见概要"))
    decision = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("意见归类")
        verbose_name_plural = _("意见归类")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(decision="adopted") | ~models.Q(reason=""),
                name="unadopted_group_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.summary[:40]


class Comment(models.Model):
    """One comment from the public. Never deleted: moderation only decides whether it is shown."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    tracking_no = models.CharField(_("编号"), max_length=32, unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("姓名或名称"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    body = models.TextField(_("意见内容"))
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(_("收到时间"), db_index=True)
    moderation = models.CharField(
        _("审核状态"), max_length=12, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_reason = models.CharField(_("不予展示的理由"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # What the public page shows: the body with personal data masked, fixed when first shown.
    public_body = models.TextField(_("公开展示内容"), blank=True)
    group = models.ForeignKey(
        CommentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["consultation", "moderation"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(moderation="withheld") | ~models.Q(moderation_reason=""),
                name="withheld_comment_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(moderation="shown") | ~models.Q(public_body=""),
                name="shown_comment_has_public_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.body[:30]}"


class Hearing(models.Model):
    """A hearing (听证会) on the decision under consultation: announced with the matter, date,
    place and how to register; participants selected from the registrations; the record published."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="hearings")
    matter = models.CharField(_("听证事项"), max_length=300)
    held_at = models.DateTimeField(_("举行时间"))
    place = models.CharField(_("地点"), max_length=300)
    how_to_register = models.TextField(_("报名方式和条件"))
    registration_closes_on = models.DateField(_("报名截止日期"))
    seats = models.PositiveIntegerField(_("参加人名额"))
    state = models.CharField(
        _("状态"), max_length=12, choices=HearingState.choices, default=HearingState.ANNOUNCED
    )
    selection_method = models.TextField(_("参加人遴选方式"), blank=True)
    record = models.TextField(_("听证笔录（公开版本）"), blank=True)
    record_published_at = models.DateTimeField(null=True, blank=True)
    announced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    announced_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("听证会")
        verbose_name_plural = _("听证会")
        ordering = ["held_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="held") | ~models.Q(record=""), name="held_hearing_has_record"
            ),
        ]

    def __str__(self) -> str:
        return self.matter


class HearingRegistration(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="registrations")
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("姓名或名称"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=200)
    position = models.TextField(_("主要观点"), blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(_("报名时间"))
    selected = models.BooleanField(_("入选"), null=True, blank=True)

    class Meta:
        verbose_name = _("听证报名")
        verbose_name_plural = _("听证报名")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return self.name
