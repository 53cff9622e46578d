"""What every workbench page shares: the navigation context and the refusal page."""

from django.shortcuts import render

from .. import selectors


def page(request, template: str, context: dict, status: int = 200):
    """Render a workbench page with what its header needs."""
    context = {"can_draft": selectors.drafting_agencies(request.user).exists(), **context}
    return render(request, template, context, status=status)


def forbidden(request, message: str):
    """The user sees this record but may not do this with it (wrong role or step)."""
    return page(request, "workbench/forbidden.html", {"message": message}, status=403)
