"""The case page's routing and notes panel (交办/协办, internal notes): one tag, so the case
page needs one include line and its view knows nothing of casework."""

from django import template

from ..views.casework import panel_context

register = template.Library()


@register.inclusion_tag("workbench/casework/panel.html", takes_context=True)
def casework_panel(context):
    request = context["request"]
    return {
        **panel_context(request.user, context["application"]),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
