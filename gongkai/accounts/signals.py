"""Every sign-in, failed sign-in and sign-out goes into the audit trail (security.md, "Audit").

The receivers also stamp the session with the time of sign-in, which the re-authentication
middleware compares against ``GONGKAI_REAUTH_HOURS``, and note when a password is set, for the
periodic change (``GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS``).
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from gongkai.core.audit import audit_record

from .network import client_ip
from .services import password_record_set

# Session key holding the sign-in time (seconds since the epoch).
LOGIN_AT_SESSION_KEY = "gongkai_login_at"
# Set on the request by code that ends a session for a reason other than the user's
# choice (the re-authentication middleware), so the audit trail says why.
LOGOUT_REASON_ATTR = "gongkai_logout_reason"
USERNAME_MAX = 150


@receiver(user_logged_in, dispatch_uid="gongkai_accounts_logged_in")
def record_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_SESSION_KEY] = time.time()
    audit_record(
        actor=user,
        action="user_login",
        obj=user,
        after={"username": user.get_username(), "ip": client_ip(request)},
    )


@receiver(user_login_failed, dispatch_uid="gongkai_accounts_login_failed")
def record_login_failure(sender, credentials, request=None, factor=None, **kwargs):
    # Django has already masked the password in ``credentials``; only the username is kept.
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")[:USERNAME_MAX]
    account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    # axes' receiver is connected first (its app is listed before ours), so the flag is set
    # by now when this attempt reached the limit or was made while locked out.
    locked_out = bool(getattr(request, "axes_locked_out", False))
    after = {"username": username, "ip": client_ip(request), "locked_out": locked_out}
    if factor:  # the password was right, the second factor ("totp") was not
        after["factor"] = factor
    audit_record(actor=None, action="user_login_failed", obj=account, outcome="failure", after=after)


@receiver(user_logged_out, dispatch_uid="gongkai_accounts_logged_out")
def record_logout(sender, request, user, **kwargs):
    if user is None:  # the session had no signed-in user: nothing ended
        return
    audit_record(
        actor=user,
        action="user_logout",
        obj=user,
        after={
            "username": user.get_username(),
            "ip": client_ip(request),
            "reason": getattr(request, LOGOUT_REASON_ATTR, "user"),
        },
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="gongkai_accounts_password_set")
def record_password_set(sender, instance, created=False, raw=False, **kwargs):
    # A new account's password is new (create_user() hashes it without set_password()). After
    # set_password(), ``_password`` holds the new password until save() ends: it is what
    # AbstractBaseUser.save() itself looks at to call password_changed(). A hash upgrade at
    # sign-in clears it before saving, so it is not taken for a change. (The validators'
    # password_changed() hook would do too, but every validator adds a line to the help text.)
    if raw or not (created or getattr(instance, "_password", None) is not None):
        return
    password_record_set(user=instance)
