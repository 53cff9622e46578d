"""State changes of the accounts app: second-factor devices and password records.

Every enrolment and removal of a second factor is audited; the audit records name the user,
the device and the address, never the secret or a code."""

import math
from base64 import b32encode

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.audit import audit_record

from .models import PasswordRecord
from .policy import confirmed_device

DEVICE_NAME = "TOTP"


class TwoFactorError(Exception):
    """A user error in a second-factor step; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, *, field: str | None = "otp_token"):
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(TwoFactorError):
    def __init__(self, message: str):
        super().__init__(message, field=None)


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _verify(*, user, device: TOTPDevice, token: str) -> TOTPDevice:
    """The device, once it has accepted ``token``; otherwise a TwoFactorError.

    django-otp checks the code in a transaction of its own with the device row locked: a code
    is accepted once (``last_t``), one step of clock drift either way is allowed, and each
    failure doubles the wait before the next try (1, 2, 4 … seconds). The failure count is
    committed there, so it survives the error raised here."""
    allowed, info = device.verify_is_allowed()
    if not allowed and info and info.get("locked_until"):
        seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
        raise TwoFactorError(_("验证码错误次数过多，请%(seconds)d秒后再试。") % {"seconds": seconds})
    verified = verify_token(user, device.persistent_id, token)
    if verified is None:
        raise TwoFactorError(_("验证码不正确或已使用过，请输入验证器应用当前显示的6位数字。"))
    return verified


def _require_owner(actor, device: TOTPDevice) -> None:
    if actor is None or device.user_id != actor.pk:
        raise NotPermitted(_("只能为自己的账号设置两步验证。"))


def totp_device_start(*, actor) -> TOTPDevice:
    """The actor's device awaiting confirmation, made on first call with a fresh random secret.

    The same device (and secret) is returned until it is confirmed, so reloading the page does
    not invalidate a QR code already scanned. Not audited: nothing is in force yet."""
    if confirmed_device(actor) is not None:
        raise TwoFactorError(_("您已启用两步验证。如需更换手机，请先关闭后重新设置。"), field=None)
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)


def totp_device_confirm(*, device: TOTPDevice, token: str, actor, ip: str | None) -> TOTPDevice:
    """Confirms the actor's pending device with a current code from it; from then on the
    actor signs in with password and code."""
    _require_owner(actor, device)
    if device.confirmed:
        raise TwoFactorError(_("您已启用两步验证。"), field=None)
    device = _verify(user=actor, device=device, token=token)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        audit_record(
            actor=actor,
            action="user_totp_enrol",
            obj=actor,
            after={"username": actor.get_username(), "device": device.persistent_id, "ip": ip},
        )
    return device


def totp_device_disable(*, actor, token: str, password: str, ip: str | None) -> None:
    """Turns the actor's second factor off; needs a current code and the password.

    The code is checked first (it is throttled), so a borrowed session cannot be used to try
    passwords. Refusals are audited as failures."""
    device = confirmed_device(actor)
    if device is None:
        raise TwoFactorError(_("您尚未启用两步验证。"), field=None)
    trail = {"username": actor.get_username(), "device": device.persistent_id, "ip": ip}
    try:
        _verify(user=actor, device=device, token=token)
        if not actor.check_password(password):
            raise TwoFactorError(_("密码不正确。"), field="password")
    except TwoFactorError as exc:
        reason = "password" if exc.field == "password" else "code"
        audit_record(
            actor=actor,
            action="user_totp_disable",
            obj=actor,
            outcome="failure",
            after={**trail, "reason": reason},
        )
        raise
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        audit_record(actor=actor, action="user_totp_disable", obj=actor, after=trail)


def totp_sign_in_verify(*, user, token: str) -> TOTPDevice:
    """The user's device once it has accepted ``token`` at sign-in; otherwise a TwoFactorError
    (the caller counts it as a failed sign-in)."""
    device = confirmed_device(user)
    if device is None:
        raise TwoFactorError(_("该账号未启用两步验证，请重新登录。"), field=None)
    return _verify(user=user, device=device, token=token)


def totp_device_remove(*, device: TOTPDevice, actor, ip: str | None) -> None:
    """An administrator removes a user's device (a lost phone); the user can then sign in with
    the password alone, or must enrol again at once when the second factor is mandatory."""
    if actor is None or not (actor.is_superuser or actor.has_perm("otp_totp.delete_totpdevice")):
        raise NotPermitted(_("您无权删除两步验证设备。"))
    user = device.user
    with transaction.atomic():
        after = {
            "username": user.get_username(),
            "device": device.persistent_id,
            "confirmed": device.confirmed,
            "ip": ip,
        }
        device.delete()
        audit_record(actor=actor, action="user_totp_remove", obj=user, after=after)


def password_record_set(*, user, at=None) -> PasswordRecord:
    """Notes that ``user``'s password was set (now, unless ``at`` says when)."""
    record, _created = PasswordRecord.objects.update_or_create(
        user=user, defaults={"changed_at": at or timezone.now()}
    )
    return record
