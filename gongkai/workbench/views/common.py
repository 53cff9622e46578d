"""What every workbench page shares: the navigation context, the refusal page and the one
action-runner every write view calls its service through."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import render

from gongkai.core.services import Conflict, NotPermitted

from .. import selectors


def page(request, template: str, context: dict, status: int = 200):
    """Render a workbench page with what its header needs."""
    context = {"can_draft": selectors.drafting_agencies(request.user).exists(), **context}
    return render(request, template, context, status=status)


def forbidden(request, message: str):
    """The user sees this record but may not do this with it (wrong role or step)."""
    return page(request, "workbench/forbidden.html", {"message": message}, status=403)


def run_service(
    request,
    call: Callable[[], object],
    *,
    errors: tuple[type[Exception], ...],
    refused: Callable[[Exception], object],
    then: Callable[[object], object] | None = None,
    success: str = "",
    conflict: Callable[[Exception], object] | None = None,
    refusal_page: bool = True,
):
    """Run one service call for a write view and answer for it: any app's ``NotPermitted``
    shows the refusal page (403); a ``Conflict`` (someone acted first) goes to ``conflict``
    (``refused`` when none is given); any other of ``errors`` (the app's refusal) goes to
    ``refused``, which re-renders the form with the reason (or returns None to let the view
    fall through to its form). Otherwise ``success`` is flashed and ``then(result)`` answers
    (None when no ``then``: the view goes on). ``refusal_page=False``: a ``NotPermitted`` is
    refused like the app's other errors (a form whose choices already are the user's scope)."""
    try:
        result = call()
    except NotPermitted as exc:
        if not refusal_page:
            return refused(exc)
        return forbidden(request, str(exc))
    except Conflict as exc:
        return (conflict or refused)(exc)
    except errors as exc:
        return refused(exc)
    if success:
        messages.success(request, success)
    return then(result) if then is not None else None
