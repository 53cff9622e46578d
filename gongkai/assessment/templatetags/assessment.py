"""The evaluation widgets the portal's pages include: ``{% reply_rating progress %}`` on the
progress page, ``{% page_rating path %}`` at the foot of public pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from gongkai.applications.rules import ApplicationState

from ..models import Evaluation

register = template.Library()

CHOICES = [
    (5, _("非常满意")),
    (4, _("满意")),
    (3, _("一般")),
    (2, _("不满意")),
    (1, _("非常不满意")),
]


@register.inclusion_tag("assessment/reply_rating.html", takes_context=True)
def reply_rating(context, progress):
    """The rating form once the application is closed, or a note that it was rated."""
    closed = progress is not None and progress.pk and progress.status == ApplicationState.CLOSED
    return {
        "show": closed,
        "pk": progress.pk if closed else None,
        "rated": closed and Evaluation.objects.filter(application_id=progress.pk).exists(),
        "csrf_token": context.get("csrf_token"),
        "choices": CHOICES,
        "legend_reply": _("您对本次答复是否满意？"),
    }


@register.inclusion_tag("assessment/page_rating.html")
def page_rating(path):
    return {"path": path, "choices": CHOICES, "legend_page": _("本页是否有用？（1至5分）")}
