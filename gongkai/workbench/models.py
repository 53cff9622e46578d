"""What the workbench keeps for a person's own use: the saved views of a list (issue 18 item 1).
Presentation state only; no domain app reads it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A named set of a list's filters (its query string), one person's own."""

    class Page(models.TextChoices):
        AGENDA = "agenda", _("期限日程")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=20, choices=Page.choices)
    name = models.CharField(_("视图名称"), max_length=40)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("保存的视图")
        verbose_name_plural = _("保存的视图")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
