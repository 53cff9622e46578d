"""A double click sends the same form twice: the second request waits for the first one's
result in the session (under the form's per-render token) and shows that, instead of a second
submission. Shared by the application and complaint forms."""

import time
from importlib import import_module

from django.conf import settings

FIRST_RESULT_WAIT_SECONDS = 3.0


def first_result(request, token: str, key: str) -> dict | None:
    """The result the first of two identical submissions stored under ``session[key]`` when it
    finished; this request re-reads the stored session until it appears, or gives up (None)."""
    session_key = request.session.session_key
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore
    deadline = time.monotonic() + FIRST_RESULT_WAIT_SECONDS
    while True:
        done = store(session_key=session_key).get(key)
        if done and done.get("token") == token:
            request.session[key] = done  # this response saves the session too: keep it
            return done
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)
