"""Services a test starts and stops itself: a Redis server on a port of its own (16380 to
16399), so a test can take Redis away without touching anyone else's. Only the process a
test started is ever stopped."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REDIS_PORTS = range(16380, 16400)
START_TIMEOUT = 20.0


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class OwnRedis:
    """``redis-server`` on a free port of ours; ``stop()`` and ``start()`` it at will."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server")
        self.binary = binary
        self.port = free_port(REDIS_PORTS)
        self.dir = Path(tempfile.mkdtemp(prefix="own-redis-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class use_broker:
    """The Celery app publishes to ``url`` (not eagerly) inside the block; its connection
    pools are rebuilt on the way in and out, so no other test inherits them."""

    def __init__(self, app, url: str) -> None:
        self.app, self.url = app, url

    def _reset_pools(self) -> None:
        self.app._pool = None
        self.app.amqp._producer_pool = None

    KEYS = ("task_always_eager", "broker_url")

    def __enter__(self):
        # Celery's conf reads Django's settings unless a key was set on it ("changes"):
        # remember which keys were, so the way out leaves the others to settings again.
        changes = self.app.conf.changes
        self.saved = {k: changes[k] for k in self.KEYS if k in changes}
        self.app.conf.task_always_eager = False
        self.app.conf.broker_url = self.url
        self._reset_pools()
        return self.app

    def __exit__(self, *exc) -> None:
        for key in self.KEYS:
            if key in self.saved:
                self.app.conf.changes[key] = self.saved[key]
            else:
                self.app.conf.changes.pop(key, None)
        self._reset_pools()
