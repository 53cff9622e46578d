"""RFC 6238 codes computed here, independently of django-otp, the way an authenticator app
computes them from the secret it was given (HMAC-SHA1, 30-second steps, 6 digits)."""

import base64
import hashlib
import hmac
import struct
import time

STEP = 30


def key_from_secret(secret: str) -> bytes:
    """The key behind the base32 secret shown for manual entry (spaces and case ignored)."""
    text = secret.replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = 6) -> str:
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def totp(key: bytes, *, steps_ahead: int = 0, at: float | None = None, digits: int = 6) -> str:
    """The code for now (or ``at``), or for a later step (a phone clock a little ahead)."""
    now = time.time() if at is None else at
    return hotp(key, int(now // STEP) + steps_ahead, digits)


def wrong_code(key: bytes) -> str:
    """Six digits that no step near now accepts."""
    near = {totp(key, steps_ahead=n) for n in range(-3, 4)}
    return next(c for c in (f"{n:06d}" for n in range(0, 1000000, 7919)) if c not in near)


def wait_for_a_fresh_step(margin: float = 2.0) -> None:
    """Sleeps past the next step boundary when it is less than ``margin`` seconds away, so the
    codes a test computes one after another belong to the steps it meant."""
    left = STEP - time.time() % STEP
    if left < margin:
        time.sleep(left + 0.05)
