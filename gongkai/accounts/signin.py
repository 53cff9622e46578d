"""Sign-in in two steps for staff with a second factor.

The password step leaves a *pending* sign-in in the (still anonymous) session; the code step
completes it with Django's ``login()``. So the sign-in audit record, axes' reset of the failure
count and the re-authentication stamp all happen once, after both factors, and a wrong code
counts against the same (username, address) lockout as a wrong password."""

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login

PENDING_SESSION_KEY = "gongkai_pending_sign_in"
# The code step must follow the password step within this time (an authenticator code lasts 30 s).
PENDING_SECONDS = 5 * 60


@dataclass(frozen=True)
class PendingSignIn:
    user: object
    backend: str
    next_url: str


def second_step_start(request, *, user, next_url: str) -> None:
    """Remembers that ``user`` gave the right password; nobody is signed in yet."""
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,  # set by authenticate()
        "at": time.time(),
        "next": next_url,
    }


def second_step_pending(request) -> PendingSignIn | None:
    """The sign-in waiting for its code, or None (none, too old, or the account is now off)."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("at"), (int, float)):
        return None
    if time.time() - data["at"] > PENDING_SECONDS:
        second_step_clear(request)
        return None
    user = get_user_model()._default_manager.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        second_step_clear(request)
        return None
    return PendingSignIn(user=user, backend=data["backend"], next_url=data["next"])


def second_step_clear(request) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def second_step_finish(request, *, pending: PendingSignIn, device) -> None:
    """Signs the user in, verified with ``device`` (django-otp keeps it in the session)."""
    second_step_clear(request)
    user = pending.user
    user.otp_device = device  # django-otp's user_logged_in receiver stores it in the session
    auth_login(request, user, backend=pending.backend)
