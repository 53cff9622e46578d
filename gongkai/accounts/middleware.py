"""Re-authentication after ``GONGKAI_REAUTH_HOURS`` from sign-in, however active the user
has been (security.md, "Identity and access"). Idle logout needs no code: the session
expires ``SESSION_COOKIE_AGE`` seconds after the last request (``SESSION_SAVE_EVERY_REQUEST``)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from .signals import LOGIN_AT_SESSION_KEY, LOGOUT_REASON_ATTR


class ReauthenticationMiddleware:
    """Signs the user out once the sign-in is older than the limit; the request then goes on
    as anonymous, so a staff page sends them to the login page with ``next`` set.

    Placed after AuthenticationMiddleware (it needs ``request.user``) and after
    MessageMiddleware (it leaves a note for the login page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._expired(request):
            setattr(request, LOGOUT_REASON_ATTR, "reauthenticate")
            logout(request)
            messages.info(
                request,
                _("为保障账号安全，登录已超过%(hours)d小时，请重新登录。")
                % {"hours": settings.GONGKAI_REAUTH_HOURS},
            )
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> bool:
        login_at = request.session.get(LOGIN_AT_SESSION_KEY)
        # A session without the stamp predates this check (or was made without login()):
        # treat it as too old rather than let it live for ever.
        if not isinstance(login_at, (int, float)):
            return True
        return time.time() - login_at > settings.GONGKAI_REAUTH_HOURS * 3600
