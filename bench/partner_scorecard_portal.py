"""Benchmark: the portal scorecard page of a partner with 8 periods of history.

Goal: p95 server time <= 150 ms over 200 requests on loopback. Prepares (once, committed) a partner
with a portal user and eight computed quarters in the benchmark database, starts an Odoo server on a
free port, logs in as that portal user and times 200 GET /my/scorecards after 10 warm-up requests.
The time measured is the full round trip on loopback, an upper bound of the server time.
"""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date
from http.cookiejar import CookieJar

from bench_env import RUNTIME_CONF, cli, ensure_database, odoo_bin, odoo_env

DB = "pc_bench_partner_scorecard"
LOGIN = "bench.portal@example.com"
REQUESTS = 200


def prepare(env):
    from odoo import Command

    if env["res.users"].search([("login", "=", LOGIN)]):
        return
    ptype = env["partner.type"].create({"name": "Portal bench type", "code": "portal_bench"})
    metrics = env["scorecard.metric"]
    for index, domain in enumerate(
        ["sales", "implementation", "revenue", "operations", "customer", "ecosystem"]
    ):
        metrics |= env["scorecard.metric"].create(
            {
                "code": f"pb_{index}",
                "name": f"Portal bench {domain}",
                "domain": domain,
                "target": 90,
                "floor": 40,
            }
        )
    env["scorecard.template"].create(
        {
            "name": "Portal bench",
            "partner_type_id": ptype.id,
            "domain_weight_ids": [
                Command.create({"domain": m.domain, "weight": 100 / 6}) for m in metrics[:5]
            ]
            + [
                Command.create(
                    {"domain": metrics[5].domain, "weight": 100 - 5 * round(100 / 6, 10)}
                )
            ],
            "line_ids": [Command.create({"metric_id": m.id, "weight": 100}) for m in metrics],
        }
    )
    partner = env["res.partner"].create({"name": "Portal Bench Partner", "is_company": True})
    membership = env["partner.membership"].create(
        {"partner_id": partner.id, "partner_type_id": ptype.id}
    )
    contact = env["res.partner"].create(
        {"name": "Bench Portal", "parent_id": partner.id, "email": LOGIN}
    )
    env["res.users"].create(
        {
            "login": LOGIN,
            "password": LOGIN,
            "partner_id": contact.id,
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        }
    )
    for quarter in range(8):
        day = date(2024 + quarter // 4, 3 * (quarter % 4) + 2, 15)
        period = env["scorecard.period"]._get_or_create(day, env.company)
        env["partner.metric.value"].create(
            [
                {
                    "partner_id": partner.id,
                    "metric_id": m.id,
                    "period_id": period.id,
                    "value": 50 + 5 * quarter + i,
                }
                for i, m in enumerate(metrics)
            ]
        )
        env["partner.scorecard"]._recompute_memberships(membership, ref_date=day)
    env.cr.commit()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    args = cli(
        __doc__,
        lambda parser: parser.add_argument(
            "--port", type=int, help="HTTP port of the server it starts (default: a free one)"
        ),
    )
    ensure_database(DB, ["partner_scorecard"])
    with odoo_env(DB) as env:
        prepare(env)
    port = args.port or free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            odoo_bin(),
            "-c",
            str(RUNTIME_CONF),
            "-d",
            DB,
            "--db-filter",
            f"^{DB}$",
            "--http-port",
            str(port),
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
        ],
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/web/health", timeout=2)
                break
            except OSError:
                time.sleep(1)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        body = json.dumps(
            {"jsonrpc": "2.0", "params": {"db": DB, "login": LOGIN, "password": LOGIN}}
        )
        opener.open(
            urllib.request.Request(
                base + "/web/session/authenticate",
                body.encode(),
                {"Content-Type": "application/json"},
            ),
            timeout=30,
        ).read()
        for _ in range(10):
            page = opener.open(base + "/my/scorecards", timeout=30).read()
        assert b"o_scorecard_trend" in page and page.count(b"<circle") >= 8, (
            "page lacks the 8-period chart"
        )
        timings = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            opener.open(base + "/my/scorecards", timeout=30).read()
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * len(timings)) - 1]
        print(f"requests: {REQUESTS}, periods shown: 8")
        print(
            f"p50: {statistics.median(timings):.1f} ms, p95: {p95:.1f} ms, max: {timings[-1]:.1f} ms"
        )
        print(f"p95 goal <= 150 ms: {'PASS' if p95 <= 150 else 'FAIL'}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
