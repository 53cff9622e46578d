"""gunicorn's access log without query codes (see gongkai/core/log_redaction.py). Passed by
``gongkai serve`` as ``--logger-class gongkai.core.gunicorn_logging.RedactingGunicornLogger``;
a deployment that starts gunicorn itself passes the same option."""

from gunicorn.glogging import Logger

from .log_redaction import redact


class RedactingGunicornLogger(Logger):
    """gunicorn's logger with ``code``/``query_code`` values taken out of every access log atom
    (request line, query string, referrer, headers, environment)."""

    def atoms(self, resp, req, environ, request_time):
        values = super().atoms(resp, req, environ, request_time)
        for key, value in values.items():
            if isinstance(value, str):
                values[key] = redact(value)
        return values
