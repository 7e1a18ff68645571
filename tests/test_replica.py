"""Read-only work is served by a PostgreSQL hot standby, as a deployment with ``db_replica_host``.

``setup/replica start`` makes a real streaming standby of the private cluster (pg_basebackup). A
copy of the installed test database is restored into that primary, and an Odoo server serves it
with ``--db_replica_host`` set to the standby. Over HTTP: the revenue dashboard
(``billing.dashboard.get_dashboard_data``, ``@api.readonly``) as the administrator, and the
portal's subscriptions page (a ``readonly=True`` route) as a partner's portal user. The primary's
statement log shows none of their queries while the standby's shows them; the same dashboard asked
through a read/write path (``/jsonrpc``) is served by the primary — which proves the log would show
them — and gives the same figures.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar

import pytest
from pgtools import CONF, DB, ODOO_BIN, ROOT, connect, filestore, free_port, pg_params

PRIMARY_PORT = int(os.environ.get("PC_PRIVATE_PG_PORT", 54329))
REPLICA_PORT = int(os.environ.get("PC_REPLICA_PG_PORT", 54330))
PRIMARY_LOG = ROOT / ".local" / "pgdata" / "server.log"
REPLICA_LOG = ROOT / ".local" / "pgdata-replica" / "server.log"

pytestmark = pytest.mark.skipif(not DB, reason="set PC_TEST_DB (setup/test does)")


def _setup(*args, **env):
    proc = subprocess.run(
        ["bash", str(ROOT / "setup" / "replica"), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"setup/replica {args}: {proc.stderr[-2000:]}"


def _answers(port):
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)], check=False
        ).returncode
        == 0
    )


def _user():
    return pg_params()[0]["user"] or "odoo"


def _primary(dbname="postgres"):
    return connect(dbname, host="127.0.0.1", port=PRIMARY_PORT, password=None)


def _log_size(path):
    return path.stat().st_size if path.exists() else 0


def _log_since(path, offset):
    with open(path, "rb") as log:
        log.seek(offset)
        return log.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def replica_db():
    primary_was_running = _answers(PRIMARY_PORT)
    _setup("stop")
    _setup("start", PC_REPLICA_LOG_STATEMENT="all")
    name = f"pc_replica_{os.getpid()}"
    main = pg_params()[0]
    admin = _primary()
    with admin.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cr.execute(f'CREATE DATABASE "{name}"')
    source_server = ["-h", main["host"] or "127.0.0.1", "-p", str(main["port"] or 5432)]
    dump = subprocess.Popen(
        ["pg_dump", "-Fc", *source_server, "-U", _user(), DB], stdout=subprocess.PIPE
    )
    primary = ["-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", _user()]
    restore = subprocess.run(
        ["pg_restore", "--no-owner", *primary, "-d", name],
        stdin=dump.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    dump.stdout.close()
    assert dump.wait() == 0 and restore.returncode == 0, restore.stderr[-2000:]
    source, target = filestore(DB), filestore(name)
    if source and source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    # the standby has replayed the copy before any request
    with admin.cursor() as cr:
        cr.execute("SELECT pg_current_wal_lsn()")
        lsn = cr.fetchone()[0]
    standby = connect("postgres", host="127.0.0.1", port=REPLICA_PORT, password=None)
    deadline = time.monotonic() + 60
    with standby.cursor() as cr:
        while True:
            cr.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s", [lsn])
            in_recovery, caught_up = cr.fetchone()
            assert in_recovery, "the standby is not in recovery: it would accept writes"
            if caught_up:
                break
            assert time.monotonic() < deadline, "the standby did not catch up within 60 s"
            time.sleep(0.2)
    standby.close()
    with admin.cursor() as cr:
        cr.execute("ALTER SYSTEM SET log_statement = 'all'")
        cr.execute("SELECT pg_reload_conf()")
    try:
        yield name
    finally:
        with admin.cursor() as cr:
            cr.execute("ALTER SYSTEM RESET log_statement")
            cr.execute("SELECT pg_reload_conf()")
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        if target:
            shutil.rmtree(target, ignore_errors=True)
        _setup("stop")
        if not primary_was_running:
            subprocess.run(
                ["bash", str(ROOT / "setup" / "pg-stop")], capture_output=True, check=False
            )


@pytest.fixture(scope="module")
def server(replica_db):
    port = free_port()
    command = [sys.executable, str(ODOO_BIN), "-c", str(CONF), "-d", replica_db]
    command += [f"--db-filter=^{replica_db}$", "--db_host=127.0.0.1", f"--db_port={PRIMARY_PORT}"]
    command += ["--db_replica_host=127.0.0.1", f"--db_replica_port={REPLICA_PORT}"]
    command += [f"--http-port={port}", "--workers=0", "--max-cron-threads=0", "--log-level=warn"]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(base + "/web/health", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the server did not answer within 120 s"
            time.sleep(0.5)
    yield base
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


class Client:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def json(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        req = urllib.request.Request(self.base + path, body, {"Content-Type": "application/json"})
        with self.opener.open(req, timeout=60) as resp:
            payload = json.load(resp)
        assert "error" not in payload, payload.get("error")
        return payload["result"]

    def login(self, db, login, password):
        self.json("/web/session/authenticate", {"db": db, "login": login, "password": password})

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as resp:
            return resp.status, resp.read().decode()


def _statements(text, table):
    return [line for line in text.splitlines() if "statement:" in line and table in line]


def test_dashboard_is_served_by_the_standby(server, replica_db):
    admin = Client(server)
    admin.login(replica_db, "admin", "admin")
    primary_at, replica_at = _log_size(PRIMARY_LOG), _log_size(REPLICA_LOG)
    figures = admin.json(
        "/web/dataset/call_kw/billing.dashboard/get_dashboard_data",
        {"model": "billing.dashboard", "method": "get_dashboard_data", "args": [], "kwargs": {}},
    )
    time.sleep(0.5)  # the servers' log writes
    assert not _statements(_log_since(PRIMARY_LOG, primary_at), "billing_mrr_movement")
    assert _statements(_log_since(REPLICA_LOG, replica_at), "billing_mrr_movement")
    assert figures["date_to"]

    # the control: a read/write path reaches the primary, whose log then shows the queries, and
    # the figures are the same
    primary_at = _log_size(PRIMARY_LOG)
    uid = admin.json(
        "/jsonrpc", {"service": "common", "method": "login", "args": [replica_db, "admin", "admin"]}
    )
    same = admin.json(
        "/jsonrpc",
        {
            "service": "object",
            "method": "execute_kw",
            "args": [replica_db, uid, "admin", "billing.dashboard", "get_dashboard_data", [], {}],
        },
    )
    time.sleep(0.5)
    assert _statements(_log_since(PRIMARY_LOG, primary_at), "billing_mrr_movement")
    assert same == figures


def test_portal_figures_are_served_by_the_standby(server, replica_db):
    portal = Client(server)
    portal.login(replica_db, "portal.partner@example.com", "portal")
    primary_at, replica_at = _log_size(PRIMARY_LOG), _log_size(REPLICA_LOG)
    status, html = portal.get("/my/subscriptions")
    time.sleep(0.5)
    assert status == 200 and "SUB/" in html  # the partner's subscriptions are listed
    assert not _statements(_log_since(PRIMARY_LOG, primary_at), "billing_subscription")
    assert _statements(_log_since(REPLICA_LOG, replica_at), "billing_subscription")
