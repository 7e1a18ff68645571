import threading
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
