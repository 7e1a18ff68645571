"""The run command serves the suite: login page, health check, and the admin sees the app.

Runs against the database the test command just installed (PC_TEST_DB), so the run command finds the
four modules installed and only starts the server.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("PC_TEST_DB")

pytestmark = pytest.mark.skipif(not DB, reason="set PC_TEST_DB (setup/test does)")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = dict(os.environ, PC_DB=DB, PC_HTTP_PORT=str(port))
    proc = subprocess.Popen(
        ["bash", str(ROOT / "setup" / "run"), "--log-level=warn", "--max-cron-threads=0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/web/health", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"run command exited: {proc.stdout.read().decode()[-2000:]}")
            time.sleep(1)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("the server did not answer /web/health within 120 s")
    yield base
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def test_health_answers_200(server):
    with urllib.request.urlopen(server + "/web/health", timeout=5) as resp:
        assert resp.status == 200
        assert json.load(resp)["status"] == "pass"


def test_login_page_answers_200(server):
    with urllib.request.urlopen(f"{server}/web/login?db={DB}", timeout=10) as resp:
        assert resp.status == 200
        assert b'name="login"' in resp.read()


def test_admin_logs_in_and_sees_partner_channel_app(server):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def rpc(path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        req = urllib.request.Request(server + path, body, {"Content-Type": "application/json"})
        with opener.open(req, timeout=30) as resp:
            payload = json.load(resp)
        assert "error" not in payload, payload.get("error")
        return payload["result"]

    session = rpc("/web/session/authenticate", {"db": DB, "login": "admin", "password": "admin"})
    assert session["uid"]
    with opener.open(f"{server}/web/webclient/load_menus/0", timeout=30) as resp:
        menus = json.load(resp)
    apps = {menus[str(mid)]["name"] for mid in menus["root"]["children"]}
    assert "Partner Channel" in apps
