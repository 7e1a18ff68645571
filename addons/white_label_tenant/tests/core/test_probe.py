import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ...core.probe import health_url, probe_many


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        code = 200 if self.path.startswith("/up") else 503
        self.send_response(code)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 18301), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:18301"
    httpd.shutdown()
    httpd.server_close()


def test_probe_many(server):
    results = probe_many([f"{server}/up/web/health", f"{server}/down/web/health"], timeout=2)
    assert results[f"{server}/up/web/health"][:2] == (True, 200)
    assert results[f"{server}/down/web/health"][:2] == (False, 503)


def test_unreachable_is_a_failed_sample():
    ok, status, _latency, error = probe_many(["http://127.0.0.1:18399/web/health"], timeout=1)[
        "http://127.0.0.1:18399/web/health"
    ]
    assert (ok, status) == (False, 0) and error


def test_health_url():
    assert health_url("https://erp.example.com/") == "https://erp.example.com/web/health"


class _Hanging:
    """A port that accepts connections and never answers, or answers a byte every 0.2 s."""

    def __init__(self, port, drip):
        self.listener = socket.create_server(("127.0.0.1", port))
        self.listener.settimeout(0.1)
        self.stopped = threading.Event()
        self.drip = drip
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        held = []
        while not self.stopped.is_set():
            try:
                conn, _address = self.listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
            if self.drip:
                threading.Thread(target=self._answer, args=(conn,), daemon=True).start()
        for conn in held:
            conn.close()
        self.listener.close()

    def _answer(self, conn):
        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}":
            if self.stopped.wait(0.2):
                return
            conn.sendall(bytes([byte]))


@pytest.fixture(params=["silent", "drip"])
def hanging(request):
    endpoint = _Hanging(18302, drip=request.param == "drip")
    yield "http://127.0.0.1:18302/web/health"
    endpoint.stopped.set()
    endpoint.thread.join()


def test_hanging_endpoint_fails_at_the_timeout(hanging):
    """Each read of the drip answer comes within the timeout, the whole answer (9 s) long after:
    both are a failed probe after the timeout, not when the server is done."""
    started = time.monotonic()
    urls = [hanging] + [f"{hanging}?{i}" for i in range(3)]
    results = probe_many(urls, timeout=1, workers=2)
    elapsed = time.monotonic() - started
    ok, status, latency, error = results[hanging]
    assert not ok and error
    assert 1000 <= latency < 1300
    # four endpoints on two workers: two rounds of the timeout, not more
    assert elapsed < 2.6
