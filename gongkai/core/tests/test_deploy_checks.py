"""Production refuses guessable secrets, and works behind a TLS-terminating proxy on another
host (issue 10, §5). ``check --deploy`` and the settings are run as a deployment runs them:
in a fresh process with the production environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from gongkai.core.checks import DEMO_SECRET_KEY
from gongkai.operations.management.commands.serve import gunicorn_security_args

ROOT = Path(__file__).resolve().parents[3]
GOOD = {
    "SECRET_KEY": "a-real-secret-" + "q" * 50,
    "GONGKAI_QUERY_CODE_KEY": "another-real-secret-" + "z" * 40,
    "ALLOWED_HOSTS": "gongkai.example.gov.cn",
}


def _run(args: list[str], **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "GONGKAI_QUERY_CODE_KEY")}
    environ.update(GONGKAI_PRODUCTION="1", DJANGO_SETTINGS_MODULE="gongkai.settings", **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def _check(**env) -> subprocess.CompletedProcess:
    return _run(["-m", "django", "check", "--deploy"], **env)


@pytest.mark.parametrize("secret_key", [None, DEMO_SECRET_KEY], ids=["unset", "demo-key"])
def test_check_deploy_fails_without_a_real_secret_key(tmp_path, secret_key):
    env = {k: v for k, v in GOOD.items() if k != "SECRET_KEY"}
    if secret_key:
        env["SECRET_KEY"] = secret_key
    result = _check(GONGKAI_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert "gongkai.E501" in result.stderr + result.stdout


def test_check_deploy_fails_without_the_query_code_key(tmp_path):
    env = {k: v for k, v in GOOD.items() if k != "GONGKAI_QUERY_CODE_KEY"}
    result = _check(GONGKAI_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert "gongkai.E502" in result.stderr + result.stdout
    result = _check(GONGKAI_DATA_DIR=str(tmp_path), **{**GOOD, "GONGKAI_QUERY_CODE_KEY": GOOD["SECRET_KEY"]})
    assert "gongkai.E502" in result.stderr + result.stdout


def test_with_real_keys_our_checks_pass(tmp_path):
    result = _check(GONGKAI_DATA_DIR=str(tmp_path), **GOOD)
    output = result.stderr + result.stdout
    assert "gongkai.E501" not in output and "gongkai.E502" not in output


def test_a_proxy_count_without_addresses_is_warned_and_a_bad_address_refused(tmp_path):
    result = _check(GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_TRUSTED_PROXIES="1", **GOOD)
    assert "gongkai.W503" in result.stderr + result.stdout
    result = _check(
        GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_TRUSTED_PROXY_ADDRESSES="10.0.0.5,not-an-ip", **GOOD
    )
    assert result.returncode != 0 and "gongkai.E504" in result.stderr + result.stdout


def test_production_behind_listed_proxies_trusts_their_forwarded_proto(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from gongkai.operations.management.commands.serve import gunicorn_security_args as a; "
        "print(settings.SECURE_PROXY_SSL_HEADER); print(settings.MIDDLEWARE[0]); print(a())"
    )
    result = _run(
        ["-c", code], GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_TRUSTED_PROXY_ADDRESSES="10.0.0.5", **GOOD
    )
    assert result.returncode == 0, result.stderr
    header, first, args = result.stdout.splitlines()
    assert header == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert first == "gongkai.core.proxy.ForwardedProtoFromTrustedProxiesOnly"
    assert "'--forwarded-allow-ips', '10.0.0.5'" in args
    # Without the setting nothing is trusted (and gunicorn keeps its loopback-only default).
    result = _run(["-c", code], GONGKAI_DATA_DIR=str(tmp_path), **GOOD)
    assert result.stdout.splitlines()[0] == "None"


def _production_behind(proxies: list[str]):
    from django.conf import settings

    return override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        GONGKAI_TRUSTED_PROXY_ADDRESSES=proxies,
        MIDDLEWARE=["gongkai.core.proxy.ForwardedProtoFromTrustedProxiesOnly", *settings.MIDDLEWARE],
    )


@pytest.mark.django_db
def test_a_request_forwarded_over_https_by_the_trusted_proxy_is_served_not_redirected(client):
    """The proxy on another host (10.0.0.5) terminates TLS and forwards plain HTTP with
    X-Forwarded-Proto: https. Before, production answered 301 to https for ever."""
    with _production_behind(["10.0.0.0/24"]):
        response = client.get("/api/v1/openapi.json", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200
        # Plain HTTP through the proxy is still sent to https, once.
        response = client.get("/api/v1/openapi.json", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="http")
        assert response.status_code == 301 and response["Location"].startswith("https://")
        # A client reaching the application directly cannot claim https.
        response = client.get(
            "/api/v1/openapi.json", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https"
        )
        assert response.status_code == 301


def test_gongkai_serve_passes_the_proxies_and_the_redacting_logger_to_gunicorn(settings):
    settings.GONGKAI_TRUSTED_PROXY_ADDRESSES = ["10.0.0.5", "10.0.1.0/24"]
    args = gunicorn_security_args()
    assert args[args.index("--forwarded-allow-ips") + 1] == "10.0.0.5,10.0.1.0/24"
    assert args[args.index("--logger-class") + 1] == "gongkai.core.gunicorn_logging.RedactingGunicornLogger"
    settings.GONGKAI_TRUSTED_PROXY_ADDRESSES = []
    assert "--forwarded-allow-ips" not in gunicorn_security_args()
