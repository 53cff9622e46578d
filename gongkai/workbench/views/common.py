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


def run_form(
    request,
    form,
    call: Callable[[dict], object],
    *,
    errors: tuple[type[Exception], ...],
    then: Callable[[object], object],
    success: str | Callable[[dict], str] = "",
    again: Callable[..., object] | None = None,
    back: Callable[[], object] | None = None,
    conflict_status: int = 200,
):
    """The one shape of a POST that runs one service with a bound form's data (``call(data)``).
    An invalid form, or the service's refusal (its reason added to the form), is answered by
    ``again(form, status=...)``, the page again with the form (``conflict_status`` when someone
    acted first), or, for a button on another page, flashed and answered by ``back()``.
    ``success`` (or ``success(data)``) is flashed and ``then(result)`` answers a success; a
    ``NotPermitted`` is the refusal page, as in ``run_service``."""

    def refused(exc=None, status=200):
        if exc is not None:
            form.add_error(None, str(exc))
        if again is not None:
            return again(form, status=status)
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return back()

    if not form.is_valid():
        return refused()
    data = form.cleaned_data
    return run_service(
        request,
        lambda: call(data),
        errors=errors,
        refused=refused,
        conflict=lambda exc: refused(exc, status=conflict_status),
        success=success(data) if callable(success) else success,
        then=then,
    )
