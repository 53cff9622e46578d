"""Questions answered in public: online questions (网上咨询) with their answers, online interviews
(在线访谈) with the questions collected for them and the transcript, and topics proposed for
disclosure (点题公开) with the office's public response. Facts are stored; "overdue" is derived."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document

from .rules import ProposalResponse, QuestionState


class Asked(models.Model):
    """What every submission from the public carries."""

    agency = models.ForeignKey(Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    tracking_no = models.CharField(_("编号"), max_length=32, unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("姓名或名称"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(_("收到时间"), db_index=True)
    due_on = models.DateField(_("答复期限"), db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=QuestionState.ANSWERED, public=True)


class Question(Asked):
    """网上咨询: a question to an agency, answered within the deployment's period."""

    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("咨询内容"))
    state = models.CharField(
        _("状态"), max_length=12, choices=QuestionState.choices, default=QuestionState.RECEIVED
    )
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public = models.BooleanField(_("公开"), default=False)
    public_subject = models.CharField(_("公开的标题"), max_length=200, blank=True)
    public_body = models.TextField(_("公开的咨询内容"), blank=True)
    public_answer = models.TextField(_("公开的答复内容"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("网上咨询")
        verbose_name_plural = _("网上咨询")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"]),
            models.Index(fields=["public", "answered_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="answered")
                | (~models.Q(answer="") & models.Q(answered_at__isnull=False)),
                name="answered_question_has_answer",
            ),
            models.CheckConstraint(
                condition=~models.Q(public=True) | (models.Q(state="answered") & ~models.Q(public_answer="")),
                name="public_question_is_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.subject}"


class Interview(models.Model):
    """在线访谈: announced in advance, questions collected before and during it, the transcript
    published afterwards."""

    agency = models.ForeignKey(Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("访谈主题"), max_length=200)
    guests = models.CharField(_("访谈嘉宾"), max_length=300)
    description = models.TextField(_("访谈简介"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    transcript = models.TextField(_("文字实录"), blank=True)
    transcript_published_at = models.DateTimeField(_("实录公开时间"), null=True, blank=True)
    # The interview's materials (slides, statements, the policy discussed) are catalogue
    # documents made public through the review chain like any other; the interview links them.
    materials = models.ManyToManyField(
        Document, verbose_name=_("访谈材料"), blank=True, related_name="interviews"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("在线访谈")
        verbose_name_plural = _("在线访谈")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="interview_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(transcript_published_at__isnull=True) | ~models.Q(transcript=""),
                name="published_interview_has_transcript",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InterviewQuestion(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="questions")
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("网友昵称或姓名"), max_length=100, blank=True)
    body = models.TextField(_("问题"))
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(_("收到时间"))

    class Meta:
        verbose_name = _("访谈网友提问")
        verbose_name_plural = _("访谈网友提问")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class TopicProposal(Asked):
    """点题公开: a topic someone wants disclosed, and the office's public response."""

    topic = models.CharField(_("希望公开的内容"), max_length=300)
    reason = models.TextField(_("理由或用途"), blank=True)
    response = models.CharField(_("答复类型"), max_length=16, choices=ProposalResponse.choices, blank=True)
    response_text = models.TextField(_("答复说明"), blank=True)
    publish_by = models.DateField(_("拟公开日期"), null=True, blank=True)
    link = models.URLField(_("公开网址"), max_length=500, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public_topic = models.CharField(_("公开的点题内容"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("点题公开")
        verbose_name_plural = _("点题公开")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response="") | models.Q(responded_at__isnull=False),
                name="responded_proposal_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.topic
