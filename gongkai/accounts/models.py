"""What the accounts app keeps besides Django's users: when each password was last set."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordRecord(models.Model):
    """When the user's password was last set (security.md: periodic change, for staff only).

    Written whenever a password is set (``signals.record_password_set``); a user without a row
    counts from the day the account was made, and the migration gave every user who existed
    then a row dated that day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="password_record",
        verbose_name=_("用户"),
    )
    changed_at = models.DateTimeField(_("密码设置时间"))

    class Meta:
        verbose_name = _("密码修改记录")
        verbose_name_plural = _("密码修改记录")

    def __str__(self) -> str:
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"
