"""Query codes never reach a log (security.md, "Personal information"; issue 10, §5).

Clients should send the code in a POST body (``POST /api/v1/applications/{no}/status``); the
older ``GET /api/v1/applications/{no}?code=...`` still works, so every access log line that
could carry a URL has its ``code`` and ``query_code`` parameters replaced by ``[redacted]``:

- ``RedactQueryCodes``: a logging filter that settings.LOGGING puts on Django's
  ``django.server`` (runserver's access log) and ``django.request`` loggers and on the console
  handler;
- ``gongkai.core.gunicorn_logging.RedactingGunicornLogger``: gunicorn's logger class, which
  ``gongkai serve`` passes with ``--logger-class``; it redacts the request line, the query
  string, the headers and the environment values of each access log line.
"""

import logging
import re

REDACTED = "[redacted]"

# A ``code=`` or ``query_code=`` parameter (also percent-encoded ``?``/``&`` before it) up to
# the next separator: ``&``, whitespace, a quote or the end.
_PARAMETER = re.compile(r"((?:^|[?&;]|%3[fF]|%26)(?:query_)?code=)[^&;\s\"']*", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with the value of every ``code``/``query_code`` URL parameter replaced."""
    if "code=" not in text.lower():
        return text
    return _PARAMETER.sub(lambda m: m.group(1) + REDACTED, text)


class RedactQueryCodes(logging.Filter):
    """Rewrites the record's message (with its arguments merged) when it holds a code."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error handling
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
