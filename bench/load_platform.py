"""The platform `python -m bench load --docs N` starts on this machine: one or two `gongkai serve`
nodes on one database and one Redis, each with its own search index, and optionally nginx in
front with deploy/nginx/gongkai.conf (TLS with a certificate made here), as in
gongkai/operations/tests/test_deploy_nginx.py. No Django here: this runs in Locust's process.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx" / "gongkai.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{log}:\n" + log.read_text(errors="replace")[-3000:]) from None
            time.sleep(0.3)


def redis_url(db: int) -> str | None:
    """redis://127.0.0.1:6379/<db>, emptied, when a Redis answers there; else None."""
    import redis

    url = f"redis://127.0.0.1:6379/{db}"
    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except redis.RedisError:
        return None
    return url


class Platform:
    """Nodes (and nginx) over a prepared directory (bench/load_prepare.py)."""

    def __init__(
        self, work: Path, database_url: str | None, *, workers: int, page_cache: bool, redis: str | None
    ):
        self.work = work
        self.database_url = database_url
        self.workers = workers
        self.page_cache = page_cache
        self.redis = redis
        self.processes: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        self.cert: Path | None = None  # nginx's (self-signed) certificate

    def _env(self, search: str, behind_nginx: bool, origin: str) -> dict:
        env = {
            **os.environ,
            "GONGKAI_DATA_DIR": str(self.work / "data"),  # shared: the media directory of every node
            "GONGKAI_SEARCH_DIR": str(self.work / search),  # local to each node
            "GONGKAI_PAGE_CACHE_SECONDS": os.environ.get("GONGKAI_PAGE_CACHE_SECONDS", "300")
            if self.page_cache
            else "0",
            # Each simulated person sends its own X-Forwarded-For (bench/load.py); behind nginx,
            # which appends the peer, that is one hop further from the right.
            "GONGKAI_TRUSTED_PROXIES": "2" if behind_nginx else "1",
        }
        env.pop("DATABASE_URL", None)
        env.pop("GONGKAI_REDIS_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.redis:
            env["GONGKAI_REDIS_URL"] = self.redis
        if behind_nginx:
            env.update(
                GONGKAI_PRODUCTION="1",
                GONGKAI_TRUSTED_PROXY_ADDRESSES="127.0.0.1",
                CSRF_TRUSTED_ORIGINS=origin,
            )
        return env

    def _certificate(self) -> tuple[Path, Path]:
        tls = self.work / "tls"
        cert, key = tls / "cert.pem", tls / "key.pem"
        if not cert.exists():
            tls.mkdir(exist_ok=True)
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj",
                 "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key,
                 "-out", cert],
                check=True, capture_output=True,
            )  # fmt: skip
        return cert, key

    def start(self, nodes: int, *, nginx: bool, label: str) -> str:
        """Start ``nodes`` nodes (and nginx); the URL to drive."""
        if self.redis:
            import redis

            redis.Redis.from_url(self.redis).flushdb()  # each run starts with empty caches
        https_port, http_port = free_port(), free_port()
        origin = f"https://127.0.0.1:{https_port}"
        logs = self.work / "logs"
        logs.mkdir(exist_ok=True)
        if nginx:
            subprocess.run(
                [sys.executable, "-m", "django", "collectstatic", "--noinput", "--settings=gongkai.settings"],
                cwd=ROOT, env=self._env("search-a", True, origin), check=True, capture_output=True,
            )  # fmt: skip
        ports = []
        for name in "ab"[:nodes]:
            port = free_port()
            log = logs / f"{label}-node-{name}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--workers", str(self.workers)],
                cwd=ROOT, env=self._env(f"search-{name}", nginx, origin),
                stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            self.processes.append(process)
            ports.append((port, process, log))
        for port, process, log in ports:
            wait_port(port, process, log)
        if not nginx:
            return f"http://127.0.0.1:{ports[0][0]}"
        self._start_nginx(label, https_port, http_port, [p for p, _, _ in ports])
        return origin

    def _start_nginx(self, label: str, https_port: int, http_port: int, ports: list[int]) -> None:
        if NGINX is None:
            raise SystemExit("--nginx: nginx is not installed (scripts/install-system-deps.sh)")
        cert, key = self._certificate()
        self.cert = cert
        text = TEMPLATE.read_text()
        if len(ports) == 1:  # one node: the upstream has one server
            text = "\n".join(line for line in text.splitlines() if "server ${GONGKAI_NODE_B}" not in line)
        values = {
            "GONGKAI_SERVER_NAME": "localhost 127.0.0.1",
            "GONGKAI_HTTPS_PORT": https_port,
            "GONGKAI_HTTP_PORT": http_port,
            "GONGKAI_TLS_CERT": cert,
            "GONGKAI_TLS_KEY": key,
            "GONGKAI_STATIC_ROOT": f"{self.work / 'data' / 'static'}/",
            "GONGKAI_NODE_A": f"127.0.0.1:{ports[0]}",
            "GONGKAI_NODE_B": f"127.0.0.1:{ports[-1]}",
        }
        for name, value in values.items():
            text = text.replace("${" + name + "}", str(value))
        d = self.work / f"nginx-{label}"
        shutil.rmtree(d, ignore_errors=True)
        (d / "tmp").mkdir(parents=True)
        (d / "gongkai.conf").write_text(text)
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the bench's files
        (d / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes auto;\npid {d}/nginx.pid;\n"
            f"error_log {d}/error.log warn;\nevents {{ worker_connections 4096; }}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
            f"  client_body_temp_path {d}/tmp/body; proxy_temp_path {d}/tmp/proxy;\n"
            f"  fastcgi_temp_path {d}/tmp/fcgi; uwsgi_temp_path {d}/tmp/uwsgi;\n"
            f"  scgi_temp_path {d}/tmp/scgi;\n  include {d}/gongkai.conf;\n}}\n"
        )
        conf = str(d / "nginx.conf")
        check = subprocess.run([NGINX, "-t", "-c", conf, "-p", str(d)], capture_output=True, text=True)
        if check.returncode:
            raise SystemExit(f"nginx -t: {check.stderr}")
        log = d / "error.log"
        self.nginx = subprocess.Popen(
            [NGINX, "-c", conf, "-p", str(d)], stdout=subprocess.DEVNULL, stderr=log.open("ab")
        )
        wait_port(https_port, self.nginx, log, seconds=20)

    def pids(self) -> list[int]:
        """The processes whose CPU is the server's: each node's gunicorn master (its workers
        are its children) and nginx's master (likewise)."""
        return [p.pid for p in [*self.processes, self.nginx] if p is not None and p.poll() is None]

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()
            try:
                self.nginx.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for p in self.processes:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)  # the node: gunicorn master and its workers
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(timeout=20)
        self.processes, self.nginx = [], None
