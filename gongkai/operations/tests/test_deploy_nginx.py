"""deploy/nginx/gongkai.conf in front of two real `gongkai serve` nodes on one PostgreSQL
(issue 13, section 2; docs/deployment.md, "A two-node install"): TLS terminated by nginx with a
certificate made here, static files served by nginx, the scheme and the client's address right
behind it, request bodies refused per location, and reads that keep succeeding while a node is
killed. Skipped, saying why, where nginx or PostgreSQL is missing (CI has both)."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

from gongkai.catalogue.tests.factories import make_agency, make_document

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/install-system-deps.sh)"),
    pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed (makes the test certificate)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two nodes share one PostgreSQL (set DATABASE_URL)",
    ),
]
ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = ROOT / "deploy" / "nginx" / "gongkai.conf"
CLIENT_ADDRESS = "127.0.0.2"  # the test's client: not the proxy's own 127.0.0.1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _node_env(data_dir: Path, static_root: Path, origin: str) -> dict:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GONGKAI_DATA_DIR": str(data_dir),
        "GONGKAI_SEARCH_DIR": str(data_dir / "search"),
        "GONGKAI_PRODUCTION": "1",
        "GONGKAI_TRUSTED_PROXY_ADDRESSES": "127.0.0.1",
        "GONGKAI_TRUSTED_PROXIES": "1",
        "CSRF_TRUSTED_ORIGINS": origin,
    }
    env.pop("GONGKAI_REDIS_URL", None)
    return env


class Node:
    def __init__(self, name: str, tmp_path: Path, static_root: Path, origin: str):
        self.dir = tmp_path / name
        self.dir.mkdir()
        self.port = _free_port()
        self.env = _node_env(self.dir, static_root, origin)
        self.process = None

    def start(self):
        log = open(self.dir / "serve.log", "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "serve", "--port", str(self.port), "--workers", "2"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((self.dir / "serve.log").read_text()) from None
                time.sleep(0.2)

    def kill(self):
        """SIGKILL the whole node (gunicorn master and workers) at once: a crash, not a stop."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def _certificate(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def render_site(values: dict) -> str:
    """deploy/nginx/gongkai.conf with its ${...} placeholders filled in, as envsubst does."""
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", str(value))
    left = re.findall(r"\$\{GONGKAI_\w+\}", text)
    assert not left, left
    return text


class Nginx:
    def __init__(self, tmp_path: Path, site: str):
        self.dir = tmp_path / "nginx"
        (self.dir / "tmp").mkdir(parents=True)
        (self.dir / "gongkai.conf").write_text(site)
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's files
        (self.dir / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 2;\npid {self.dir}/nginx.pid;\n"
            f"error_log {self.dir}/error.log warn;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log {self.dir}/access.log;\n"
            f"  client_body_temp_path {self.dir}/tmp/body; proxy_temp_path {self.dir}/tmp/proxy;\n"
            f"  fastcgi_temp_path {self.dir}/tmp/fcgi; uwsgi_temp_path {self.dir}/tmp/uwsgi;\n"
            f"  scgi_temp_path {self.dir}/tmp/scgi;\n  include {self.dir}/gongkai.conf;\n}}\n"
        )
        self.process = None

    def start(self, port: int):
        conf = str(self.dir / "nginx.conf")
        check = subprocess.run([NGINX, "-t", "-c", conf, "-p", str(self.dir)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            [NGINX, "-c", conf, "-p", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                assert self.process.poll() is None and time.monotonic() < deadline, self.process.stderr.read()
                time.sleep(0.1)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class Client:
    """HTTPS from another loopback address than the proxy's, verifying the test certificate."""

    def __init__(self, port: int, cert: Path):
        self.port = port
        self.context = ssl.create_default_context(cafile=str(cert))
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPSConnection(
            "localhost", self.port, context=self.context, timeout=30, source_address=(CLIENT_ADDRESS, 0)
        )
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, data


@pytest.fixture
def front_door(tmp_path):
    static_root = tmp_path / "static"
    https_port, http_port = _free_port(), _free_port()
    origin = f"https://localhost:{https_port}"
    a = Node("a", tmp_path, static_root, origin)
    b = Node("b", tmp_path, static_root, origin)
    # Static files collected once into the directory nginx serves (STATIC_ROOT of a node).
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--settings=gongkai.settings"],
        cwd=ROOT, env={**a.env, "GONGKAI_DATA_DIR": str(tmp_path / "collect")},
        check=True, capture_output=True,
    )  # fmt: skip
    shutil.move(str(tmp_path / "collect" / "static"), static_root)
    cert, key = _certificate(tmp_path)
    site = render_site(
        {
            "GONGKAI_SERVER_NAME": "localhost",
            "GONGKAI_HTTPS_PORT": https_port,
            "GONGKAI_HTTP_PORT": http_port,
            "GONGKAI_TLS_CERT": cert,
            "GONGKAI_TLS_KEY": key,
            "GONGKAI_STATIC_ROOT": f"{static_root}/",
            "GONGKAI_NODE_A": f"127.0.0.1:{a.port}",
            "GONGKAI_NODE_B": f"127.0.0.1:{b.port}",
        }
    )
    proxy = Nginx(tmp_path, site)
    try:
        a.start()
        b.start()
        proxy.start(https_port)
        yield {"a": a, "b": b, "nginx": proxy, "client": Client(https_port, cert), "http_port": http_port}
    finally:
        proxy.stop()
        a.kill()
        b.kill()


def test_two_nodes_behind_nginx(front_door):
    client, a, b = front_door["client"], front_door["a"], front_door["b"]
    agency = make_agency("江川市人民政府")
    doc = make_document(agency, "江川市关于城市绿化的通知", "城市绿化管理")

    # Plain HTTP is sent to HTTPS by nginx.
    plain = http.client.HTTPConnection("127.0.0.1", front_door["http_port"], timeout=10)
    plain.request("GET", "/", headers={"Host": "localhost"})
    redirect = plain.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location").startswith("https://localhost")

    # Through TLS: the application takes the request as https (no redirect loop, https links).
    response, body = client.request("GET", f"/api/v1/documents/{doc.index_no}")
    assert response.status == 200, body[:500]
    assert json.loads(body)["url"].startswith("https://localhost")
    assert "max-age=" in response.getheader("Cache-Control") and response.getheader("ETag")
    again, empty = client.request(
        "GET", f"/api/v1/documents/{doc.index_no}", headers={"If-None-Match": response.getheader("ETag")}
    )
    assert again.status == 304 and empty == b""

    # Static files come from nginx (no node answers for them: nginx's own headers).
    css, content = client.request("GET", "/static/gongkai/portal.css")
    assert css.status == 200 and content
    assert css.getheader("Expires") and css.getheader("Referrer-Policy") is None  # Django sets one

    # Request bodies over a location's limit are refused by nginx before any node sees them.
    too_big, page = client.request("POST", "/api/v1/applications", body=b"x" * (1024 * 1024 + 1))
    assert too_big.status == 413 and b"nginx" in page
    # /apply/ takes an identity proof: 2 MiB passes nginx and reaches the application (which
    # refuses this one for its missing CSRF token, not for its size).
    proof, _ = client.request("POST", "/apply/", body=b"x" * (2 * 1024 * 1024))
    assert proof.status == 403

    # The client's address, not nginx's, reaches the application (a failed sign-in records it),
    # and an X-Forwarded-For the client made up is not believed.
    page, html = client.request("GET", "/staff/login/")
    assert page.status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    form = urlencode({"csrfmiddlewaretoken": token, "username": "nobody-h8", "password": "wrong-password-1"})
    login, _ = client.request(
        "POST",
        "/staff/login/",
        body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://localhost:{client.port}/staff/login/",
            "X-Forwarded-For": "203.0.113.9",
        },
    )
    assert login.status == 200
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.filter(username="nobody-h8").values_list("ip_address", flat=True)) == [
        CLIENT_ADDRESS
    ]

    # A node killed mid-test: reads keep succeeding through the other one.
    failures, done, stop = [], [0], threading.Event()

    def read_forever():
        paths = [
            "/",
            f"/documents/{doc.index_no}/",
            "/search/?q=城市绿化",
            f"/api/v1/documents/{doc.index_no}",
        ]
        while not stop.is_set():
            for path in paths:
                try:
                    r, _ = client.request("GET", quote(path, safe="/?=&"))
                    if r.status != 200:
                        failures.append((path, r.status))
                except OSError as exc:
                    failures.append((path, repr(exc)))
                done[0] += 1

    readers = [threading.Thread(target=read_forever) for _ in range(3)]
    for t in readers:
        t.start()
    time.sleep(2)
    a.kill()
    time.sleep(4)
    stop.set()
    for t in readers:
        t.join(timeout=60)
    assert done[0] > 20
    assert failures == []
    # The surviving node alone still answers.
    assert client.request("GET", "/")[0].status == 200
    assert b.process.poll() is None
