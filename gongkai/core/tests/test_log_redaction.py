"""No log line holds a query code (issue 10, §5): the older ``GET .../applications/{no}?code=``
still works, and the access logs of gunicorn (as ``gongkai serve`` starts it) and of Django's
own server, and Django's request log, carry ``code=[redacted]`` instead."""

import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application

from gongkai.core.log_redaction import REDACTED, redact
from gongkai.operations.management.commands.serve import gunicorn_security_args

SECRET = "K7P3Q9XD"
ROOT = Path(__file__).resolve().parents[3]


def test_redact_takes_every_code_parameter_out():
    assert redact(f"GET /api/v1/applications/1?code={SECRET} HTTP/1.1") == (
        f"GET /api/v1/applications/1?code={REDACTED} HTTP/1.1"
    )
    assert SECRET not in redact(f"/x?a=1&CODE={SECRET}&b=2")
    assert SECRET not in redact(f"query_code={SECRET}")
    assert SECRET not in redact(f"/x%3Fcode={SECRET}")
    assert redact("/documents?agency=code") == "/documents?agency=code"  # a value, not a parameter
    assert redact("/agencies/CODE123") == "/agencies/CODE123"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.mark.django_db(transaction=True)
def test_djangos_server_and_request_logs_hold_no_code():
    """Django's own server (``runserver``, the fallback of ``gongkai serve``) logs each request
    line on ``django.server``; a 404 is logged on ``django.request``."""
    application = get_wsgi_application()  # configures logging (settings.LOGGING) first
    captured = _Capture()
    loggers = [logging.getLogger("django.server"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(captured)
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(application)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/v1/applications/20260101000001?code={SECRET}"
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(url, timeout=30)
        assert answer.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
        for logger in loggers:
            logger.removeHandler(captured)
    assert any("/api/v1/applications/20260101000001" in line for line in captured.lines), captured.lines
    assert any(f"code={REDACTED}" in line for line in captured.lines), captured.lines
    assert not any(SECRET in line for line in captured.lines), captured.lines


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorns_access_log_holds_no_code(tmp_path):
    """gunicorn with the arguments ``gongkai serve`` passes: the access log line of a request
    with a code in its URL (and in its Referer) shows it redacted."""
    port = _free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gongkai.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--access-logfile", str(log), "--no-control-socket", *gunicorn_security_args()],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/v1/openapi.json?code={SECRET}&query_code={SECRET}"
        request = urllib.request.Request(
            url, headers={"Referer": f"http://example.test/progress/?code={SECRET}"}
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    assert response.status == 200
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        deadline = time.monotonic() + 20
        while "openapi.json" not in (log.read_text() if log.exists() else "") and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "/api/v1/openapi.json?code=[redacted]&query_code=[redacted]" in text, text
    assert SECRET not in text, text
