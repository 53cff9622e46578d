"""Paperwork in and out (issue 18 item 3): a letter's way to the addressee in two steps, posted
(交寄) then signed for (签收), and the scans that prove what came in or went out. The scans
themselves are ApplicationFile rows; these models only say what each one belongs to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..rules import Delivery
from .application import Application, ApplicationFile, Consultation, DeliveryRecord, Letter


class Dispatch(models.Model):
    """A signed letter sent: by post (date, carrier, tracking number), handed over, or e-mailed
    (the message's Message-ID and the time it left). It is delivered when signed for: then
    ``delivery`` holds the DeliveryRecord every existing rule reads (the applicant's periods,
    the reply closing the file); a delivery recorded in one step has no Dispatch."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="dispatches")
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="dispatches")
    method = models.CharField(_("送达方式"), max_length=12, choices=Delivery.choices)
    posted_on = models.DateField(_("交寄日期"))
    carrier = models.CharField(_("寄递单位"), max_length=100, blank=True)
    tracking_no = models.CharField(_("邮件号码"), max_length=60, blank=True)
    email_to = models.EmailField(_("收件邮箱"), blank=True)
    email_message_id = models.CharField(_("邮件标识（Message-ID）"), max_length=255, blank=True)
    emailed_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    signed_on = models.DateField(_("签收日期"), null=True, blank=True)
    signer = models.CharField(_("签收人"), max_length=100, blank=True)
    delivery = models.OneToOneField(
        DeliveryRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="dispatch"
    )
    # The scan goes with the case's files when its personal data is removed (retention.py).
    receipt_scan = models.ForeignKey(
        ApplicationFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("交寄记录")
        verbose_name_plural = _("交寄记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.posted_on} {self.get_method_display()} {self.tracking_no}".strip()


class ConsultationOpinion(models.Model):
    """The consulted party's written opinion (书面意见), scanned, with its consultation."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="opinion_scans")
    file = models.OneToOneField(
        ApplicationFile, on_delete=models.CASCADE, related_name="consultation_opinion"
    )

    class Meta:
        verbose_name = _("征求意见书面意见")
        verbose_name_plural = _("征求意见书面意见")

    def __str__(self) -> str:
        return str(self.file)
