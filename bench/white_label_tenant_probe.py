"""Benchmark: probing 500 environments against local endpoints (target: at most 30 s).

    .venv/bin/python bench/white_label_tenant_probe.py [--db <db with white_label_tenant>]

Starts local HTTP servers on 127.0.0.1 (ports 18340-18344, or five from ``--first-port``) answering ``/web/health`` after a
simulated 50 ms of work, every tenth environment answering 503. Without ``--db`` it times the
concurrent prober of ``core/probe.py``; with ``--db`` it creates 500 running environments and
times ``tenant.environment._cron_probe`` (probes, uptime samples, failure counters; nothing is
kept: the transaction is rolled back).

``--hang silent`` replaces the servers by endpoints that accept the connection and never answer;
``--hang drip`` by endpoints that answer one byte a second (each read within the timeout, the
whole answer long after it). With ``--db`` it calls the probe cron as ``ir.cron`` does until
nothing is due, and prints the wall time of all calls against the probe interval
(``white_label_tenant.probe_min_interval_seconds``) with the shipped timeout and workers, the
CPU time of this process and the load average before and after.

    .venv/bin/python bench/white_label_tenant_probe.py --db <db> --hang silent
"""

import argparse
import os
import socket
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PORTS = range(18340, 18345)
COUNT = 500


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(0.05)
        sick = self.path.startswith("/sick")
        self.send_response(503 if sick else 200)
        self.end_headers()
        self.wfile.write(b'{"status": "pass"}')

    def log_message(self, *args):
        pass


def start_servers(first_port=None):
    global PORTS
    if first_port:
        PORTS = range(first_port, first_port + 5)
    servers = []
    for port in PORTS:
        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


class HangingEndpoint:
    """A TCP port that accepts connections and never answers (``silent``) or answers one byte a
    second (``drip``): a hung Odoo behind a proxy, or a server too slow to be healthy."""

    ANSWER = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"status": "pass"}'

    def __init__(self, port, mode):
        self.mode = mode
        self.stopped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", port), backlog=1024)
        self.listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        held = []
        while not self.stopped.is_set():
            try:
                conn, _address = self.listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
            if self.mode == "drip":
                threading.Thread(target=self._drip, args=(conn,), daemon=True).start()
        for conn in held:
            conn.close()

    def _drip(self, conn):
        for byte in self.ANSWER:
            if self.stopped.wait(1):
                return
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                return

    def shutdown(self):
        self.stopped.set()

    def server_close(self):
        self.listener.close()


def start_hanging(mode, first_port=None):
    global PORTS
    if first_port:
        PORTS = range(first_port, first_port + 5)
    return [HangingEndpoint(port, mode) for port in PORTS]


def urls(count):
    ports = list(PORTS)
    return [
        f"http://127.0.0.1:{ports[i % len(ports)]}/{'sick' if i % 10 == 0 else 'ok'}{i}"
        for i in range(count)
    ]


def pure(count, hang=None):
    from odoo.addons.white_label_tenant.core.probe import health_url, probe_many

    targets = [health_url(url) for url in urls(count)]
    started = time.perf_counter()
    results = probe_many(targets, timeout=3, workers=64)
    elapsed = time.perf_counter() - started
    up = sum(1 for ok, *_rest in results.values() if ok)
    print(
        f"core prober{f' ({hang} endpoints)' if hang else ''}: {len(results)} endpoints in "
        f"{elapsed:.2f} s, {up} up, {len(results) - up} down; "
        f"target <= 30 s: {'OK' if elapsed <= 30 else 'MISSED'}"
    )


def cron_until_done(env, envs, hang):
    """Call the probe cron as ``ir.cron`` does, until nothing is due; print the figures."""
    params = env["ir.config_parameter"].sudo()
    interval = float(params.get_param("white_label_tenant.probe_min_interval_seconds", "120"))
    timeout, _threshold, workers = env["tenant.environment.batch"]._probe_settings()
    now = datetime(2026, 12, 1, 12, 0)
    load_before = os.getloadavg()
    cpu_started, started = time.process_time(), time.perf_counter()
    calls, done, slowest = 0, 0, 0.0
    while True:
        call_started = time.perf_counter()
        probed = env["tenant.environment"]._cron_probe(now=now)
        slowest = max(slowest, time.perf_counter() - call_started)
        if not probed:
            break
        calls, done = calls + 1, done + probed
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    load_after = os.getloadavg()
    failed = env["tenant.uptime.sample"].search_count(
        [("environment_id", "in", envs.ids), ("ok", "=", False)]
    )
    print(
        f"probe cron, {len(envs)} {hang} endpoints (timeout {timeout:g} s, {workers} workers): "
        f"{done} probed in {calls} calls, {elapsed:.2f} s wall (slowest call {slowest:.2f} s), "
        f"{failed} failed samples; CPU {cpu:.2f} s; load average {load_before[0]:.2f} -> "
        f"{load_after[0]:.2f}; probe interval {interval:g} s: "
        f"{'OK' if elapsed <= interval else 'MISSED'}"
    )


def database(dbname, count, hang=None):
    from white_label_tenant_common import odoo_env

    with odoo_env(dbname) as env:
        partner = env["res.partner"].create({"name": "Probe bench partner", "is_company": True})
        tenant = env["tenant.tenant"].create({"name": "Probe bench", "partner_id": partner.id})
        plan = env["tenant.plan"].search([], limit=1) or env["tenant.plan"].create(
            {"name": "Bench", "vcpu": 1, "ram_gb": 1, "storage_gb": 1}
        )
        env["tenant.environment"].search([("state", "=", "active")]).write({"url": False})
        # running environments, as provisioning leaves them (state is the actions' to write)
        envs = env["tenant.environment"]._workflow_create(
            [
                {
                    "tenant_id": tenant.id,
                    "database_name": f"probe-bench-{i}",
                    "url": url,
                    "plan_id": plan.id,
                    "state": "active",
                }
                for i, url in enumerate(urls(count))
            ]
        )
        if hang:
            cron_until_done(env, envs, hang)
            return
        env["ir.config_parameter"].set_param("white_label_tenant.probe_workers", 64)
        started = time.perf_counter()
        done = env["tenant.environment"]._cron_probe(now=datetime(2026, 12, 1, 12, 0))
        elapsed = time.perf_counter() - started
        samples = env["tenant.uptime.sample"].search_count([("environment_id", "in", envs.ids)])
        down = env["tenant.environment"].search_count(
            [("id", "in", envs.ids), ("health_state", "=", "down")]
        )
        print(
            f"probe cron: {done} environments in {elapsed:.2f} s, {samples} samples recorded, "
            f"{down} down; target <= 30 s: {'OK' if elapsed <= 30 else 'MISSED'}"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db")
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--first-port", type=int, help="first of the five endpoint ports")
    parser.add_argument(
        "--hang",
        choices=["silent", "drip"],
        help="endpoints that never answer (silent) or answer a byte a second (drip)",
    )
    args = parser.parse_args()
    from white_label_tenant_common import addons_on_path

    addons_on_path()
    if args.hang:
        servers = start_hanging(args.hang, args.first_port)
    else:
        servers = start_servers(args.first_port)
    try:
        if args.db:
            database(args.db, args.count, args.hang)
        else:
            pure(args.count, args.hang)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
