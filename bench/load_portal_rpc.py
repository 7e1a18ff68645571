"""Load bench: the partner portal and JSON-RPC of a running server, open-loop and closed-loop.

    .venv/bin/python bench/load_portal_rpc.py --url http://127.0.0.1:8069 --db partner_channel \\
        --server-log /tmp/odoo.log --server-pid <pid of odoo-bin>

Drives a server that runs the suite with its demo data (``setup/run``; see "Deployment and load" in
the README for the command and the figures) on loopback, as the three demo portal users
(Northwind, Harbor, Bluepeak) and the administrator (Channel Manager):

- portal users open their pages (``/my``, scorecards, subscriptions, tenants, gates, deals,
  invoices and the detail pages of their own records), call ``/my/counters`` and
  ``/web/dataset/call_kw`` (``search_read`` on the suite's models their rights allow), and try the
  detail page of another demo partner's record, which must send them back to ``/my``;
- the manager calls ``search_read`` / ``search_count`` on the suite's models over JSON-RPC.

Every answer is checked: its status (and no JSON-RPC error), and no data of another demo partner in
what a portal user gets (the other partners' names and contacts and the names of their records in
a page; a row whose partner belongs to another demo partner in a JSON-RPC answer).

``--mode open``: arrivals at ``--rate`` requests/s (Poisson, seeded) for ``--duration`` seconds,
sent whatever the server answers; each latency is counted from the arrival's scheduled instant, so
a server that falls behind shows it (no coordinated omission). Target: 0 errors, 0 cross-partner
data, p95 <= 500 ms. ``--mode closed``: ``--clients`` clients loop as fast as answers come for
``--closed-duration`` seconds; prints the throughput sustained.

Client side: the time a client waited (connection, listen backlog and queueing included). Server
side: Odoo's own time per request, read from the werkzeug lines of ``--server-log`` (``... "GET
/my?_lb=17 HTTP/1.1" 200 - <queries> <sql s> <python s>``; each request carries a ``_lb`` tag to
match its line); the gap between the two is time spent waiting for a worker. Sends nothing but to
``--url``, which must be a loopback address; every loop is bounded in time.
"""

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from ipaddress import ip_address
from urllib.parse import urlsplit

PORTAL_LOGINS = (
    "portal.partner@example.com",
    "portal.harbor@example.com",
    "portal.hosting@example.com",
)
PORTAL_PASSWORD = "portal"
TARGET_P95_MS = 500

# models a portal user may list over JSON-RPC (the rules keep them to their partner), and the
# field that names the partner of each row
PORTAL_RPC_MODELS = {
    "partner.scorecard": "partner_id",
    "billing.subscription": "partner_id",
    "tenant.tenant": "partner_id",
    "governance.gate": "partner_id",
    "tenant.incident": "partner_id",
    "crm.lead": "channel_partner_id",
}
MANAGER_RPC_MODELS = (
    "partner.scorecard",
    "partner.membership",
    "billing.subscription",
    "billing.mrr.movement",
    "tenant.tenant",
    "tenant.environment",
    "tenant.incident",
    "governance.gate",
    "crm.lead",
)
# detail pages: route prefix -> model, and the field naming the record's partner
DETAIL_ROUTES = {
    "/my/scorecards": ("partner.scorecard", "partner_id"),
    "/my/subscriptions": ("billing.subscription", "partner_id"),
    "/my/tenants": ("tenant.tenant", "partner_id"),
    "/my/gates": ("governance.gate", "partner_id"),
}
LIST_PAGES = (
    ("/my", 3),
    ("/my/scorecards", 2),
    ("/my/subscriptions", 2),
    ("/my/tenants", 1),
    ("/my/gates", 1),
    ("/my/deals", 1),
    ("/my/invoices", 1),
)
COUNTERS = ["scorecard_count", "deal_count", "gate_count", "tenant_count", "subscription_count"]
WERKZEUG_LINE = re.compile(
    r'"(?:GET|POST) [^"]*[?&]_lb=(\d+)[^"]* HTTP/1\.[01]" (\d{3}) \S+ (\d+) ([\d.]+) ([\d.]+)'
)


# -- the demo world: who is who, what each partner owns, what the others must never see ----------
@dataclass
class Session:
    login: str
    cookie: str
    uid: int
    partner_id: int = 0  # commercial partner (0: the manager)


@dataclass
class Partner:
    login: str
    id: int
    name: str
    family: set = field(default_factory=set)  # the commercial partner and its contacts
    markers: set = field(default_factory=set)  # strings only this partner's users may see
    own: dict = field(default_factory=dict)  # detail route -> own record ids
    rpc_models: list = field(default_factory=list)  # models its users may list over JSON-RPC


@dataclass
class Result:
    phase: str
    kind: str
    status: int
    client_ms: float
    ok: bool
    cross: bool = False
    error: str = ""
    tag: int = 0


class Bench:
    def __init__(self, args):
        self.args = args
        self.foreign_pattern = {}
        self.base = args.url.rstrip("/")
        self.rng = random.Random(args.seed)
        self.tag = 0
        self.partners = {}  # login -> Partner
        self.sessions = defaultdict(list)  # login -> [Session]
        self.http = None
        self.first_errors = []

    # -- HTTP ------------------------------------------------------------------------------------
    def next_tag(self):
        self.tag += 1
        return self.tag

    async def get(self, session, path, tag):
        sep = "&" if "?" in path else "?"
        async with self.http.get(
            f"{self.base}{path}{sep}_lb={tag}",
            headers={"Cookie": f"session_id={session.cookie}"},
            allow_redirects=False,
        ) as response:
            return response.status, response.headers.get("Location", ""), await response.text()

    async def rpc(self, session, path, params, tag):
        async with self.http.post(
            f"{self.base}{path}?_lb={tag}",
            headers={"Cookie": f"session_id={session.cookie}"} if session else {},
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": tag},
            allow_redirects=False,
        ) as response:
            body = await response.text()
            try:
                data = json.loads(body)
            except ValueError:
                data = {"error": {"data": {"message": f"not JSON: {body[:80]!r}"}}}
            return response.status, data

    async def call_kw(self, session, model, method, args, kwargs, tag):
        return await self.rpc(
            session,
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
            tag,
        )

    async def login(self, login, password):
        """Logs in through the login form, with the CSRF token it carries."""
        async with self.http.get(f"{self.base}/web/login?db={self.args.db}") as response:
            html = await response.text()
            cookie = response.cookies.get("session_id")
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        if not token or not cookie:
            sys.exit(f"no login form at {self.base}/web/login (database {self.args.db}?)")
        async with self.http.post(
            f"{self.base}/web/login",
            data={"login": login, "password": password, "csrf_token": token.group(1)},
            headers={"Cookie": f"session_id={cookie.value}"},
            allow_redirects=False,
        ) as response:
            await response.read()
            new = response.cookies.get("session_id")
            if response.status != 303 or not new:
                sys.exit(f"login of {login} refused (HTTP {response.status})")
        session = Session(login, new.value, 0)
        _, info = await self.rpc(session, "/web/session/get_session_info", {}, self.next_tag())
        session.uid = info["result"]["uid"]
        return session

    # -- preparation: logins and the demo partners' markers -------------------------------------
    async def prepare(self):
        manager = await self.login(self.args.manager_login, self.args.manager_password)
        self.sessions["manager"] = [manager] + [
            await self.login(self.args.manager_login, self.args.manager_password)
            for _ in range(self.args.sessions - 1)
        ]

        async def rows(model, domain, fields, session=manager):
            _, data = await self.call_kw(
                session, model, "search_read", [domain], {"fields": fields}, self.next_tag()
            )
            if "error" in data:
                return None
            return data["result"]

        for login in PORTAL_LOGINS:
            user = await rows("res.users", [("login", "=", login)], ["partner_id"])
            if not user:
                sys.exit(f"no demo user {login}: is the database made with the demo data?")
            (partner_row,) = await rows(
                "res.partner", [("id", "=", user[0]["partner_id"][0])], ["commercial_partner_id"]
            )
            pid, name = partner_row["commercial_partner_id"]
            family = await rows("res.partner", [("commercial_partner_id", "=", pid)], ["name"])
            partner = Partner(login, pid, name, {p["id"] for p in family})
            partner.markers = {name} | {p["name"] for p in family if len(p["name"]) > 6}
            for route, (model, fname) in DETAIL_ROUTES.items():
                owned = await rows(model, [(fname, "in", list(partner.family))], ["display_name"])
                partner.own[route] = [r["id"] for r in owned or []]
                if route == "/my/subscriptions":
                    partner.markers |= {r["display_name"] for r in owned if r["display_name"]}
            self.partners[login] = partner
            self.sessions[login] = [
                await self.login(login, PORTAL_PASSWORD) for _ in range(self.args.sessions)
            ]
            for session in self.sessions[login]:
                session.partner_id = pid
        # a marker shared by two partners (a common contact name) proves nothing: drop it
        counts = Counter(m for p in self.partners.values() for m in p.markers)
        for partner in self.partners.values():
            partner.markers = {m for m in partner.markers if counts[m] == 1}
        # one pattern per user: the other partners' markers, as whole words ("SUB/1" is not in "SUB/12")
        self.foreign_pattern = {
            login: re.compile(
                "(?<![\\w/])("
                + "|".join(
                    re.escape(marker)
                    for other, p in self.partners.items()
                    if other != login
                    for marker in sorted(p.markers, key=len, reverse=True)
                )
                + ")(?!\\w)"
            )
            for login in self.partners
        }
        # the markers must be what pages show: each user's own subscriptions page shows its own
        for login, partner in self.partners.items():
            _, _, body = await self.get(
                self.sessions[login][0], "/my/subscriptions", self.next_tag()
            )
            if not any(marker in body for marker in partner.markers):
                sys.exit(f"/my/subscriptions of {login} shows none of its markers: check them")
            if self.foreign(login, body):
                print(f"  CROSS-PARTNER DATA already in /my/subscriptions of {login}")
        # what each portal user may list over JSON-RPC (an AccessError leaves the model out)
        for login, partner in self.partners.items():
            for model, fname in PORTAL_RPC_MODELS.items():
                if await rows(model, [], [fname], session=self.sessions[login][0]) is not None:
                    partner.rpc_models.append(model)
        for partner in self.partners.values():
            own = ", ".join(f"{route} {len(ids)}" for route, ids in partner.own.items())
            print(
                f"  {partner.login}: {partner.name} (partner {partner.id}), "
                f"{len(partner.markers)} markers, own records: {own}; "
                f"JSON-RPC lists {', '.join(partner.rpc_models) or 'nothing'}"
            )

    # -- the requests ---------------------------------------------------------------------------
    def foreign(self, login, text):
        """True when ``text`` holds a marker of another demo partner."""
        return bool(self.foreign_pattern[login].search(text))

    def foreign_rows(self, login, rows, fname):
        others = set().union(*(p.family for o, p in self.partners.items() if o != login))
        return [r for r in rows if r.get(fname) and r[fname][0] in others]

    def pick(self):
        """One click: (kind, coroutine factory taking the tag)."""
        rng = self.rng
        if rng.random() < self.args.manager_share:
            session = rng.choice(self.sessions["manager"])
            model = rng.choice(MANAGER_RPC_MODELS)
            if rng.random() < 0.75:
                return "rpc manager search_read", lambda tag: self.manager_rpc(
                    session, model, "search_read", tag
                )
            return "rpc manager search_count", lambda tag: self.manager_rpc(
                session, model, "search_count", tag
            )
        login = rng.choice(PORTAL_LOGINS)
        session = rng.choice(self.sessions[login])
        partner = self.partners[login]
        roll = rng.random()
        if roll < 0.45:
            pages, weights = zip(*LIST_PAGES, strict=False)
            path = rng.choices(pages, weights)[0]
            return f"page {path}", lambda tag: self.page(session, path, tag)
        if roll < 0.65:
            routes = [r for r, ids in partner.own.items() if ids]
            route = rng.choice(routes)
            path = f"{route}/{rng.choice(partner.own[route])}"
            return f"page {route}/<own>", lambda tag: self.page(session, path, tag)
        if roll < 0.75:
            return "rpc /my/counters", lambda tag: self.counters(session, tag)
        if roll < 0.90 and partner.rpc_models:
            model = rng.choice(partner.rpc_models)
            return "rpc portal search_read", lambda tag: self.portal_rpc(session, model, tag)
        others = [
            (route, rid)
            for o, p in self.partners.items()
            if o != login
            for route, ids in p.own.items()
            for rid in ids
        ]
        route, rid = rng.choice(others)
        return f"page {route}/<other partner's>", lambda tag: self.page(
            session, f"{route}/{rid}", tag, foreign_record=True
        )

    async def page(self, session, path, tag, foreign_record=False):
        status, location, body = await self.get(session, path, tag)
        if foreign_record:
            # another partner's record: back to /my, never shown
            if status == 200:
                return status, False, True, "another partner's record was shown"
            ok = status in (302, 303) and urlsplit(location).path.rstrip("/") == "/my"
            return status, ok, False, "" if ok else f"HTTP {status} -> {location}"
        if status != 200:
            return status, False, False, f"HTTP {status} {location}"
        if "/web/login" in body[:2000] and 'name="password"' in body:
            return status, False, False, "login page instead of the portal"
        cross = self.foreign(session.login, body)
        return status, not cross, cross, "another partner's name in the page" if cross else ""

    async def counters(self, session, tag):
        status, data = await self.rpc(session, "/my/counters", {"counters": COUNTERS}, tag)
        if "error" in data:
            return status, False, False, data["error"]["data"]["message"][:120]
        return status, status == 200, False, ""

    async def portal_rpc(self, session, model, tag):
        fname = PORTAL_RPC_MODELS[model]
        status, data = await self.call_kw(
            session, model, "search_read", [[]], {"fields": ["display_name", fname]}, tag
        )
        if "error" in data:
            return status, False, False, data["error"]["data"]["message"][:120]
        leaked = self.foreign_rows(session.login, data["result"], fname)
        if leaked:
            return status, False, True, f"{model}: {len(leaked)} rows of another partner"
        return status, status == 200, False, ""

    async def manager_rpc(self, session, model, method, tag):
        if method == "search_read":
            args, kwargs = [[]], {"fields": ["display_name"], "limit": 80}
        else:
            args, kwargs = [[]], {}
        status, data = await self.call_kw(session, model, method, args, kwargs, tag)
        if "error" in data:
            return status, False, False, data["error"]["data"]["message"][:120]
        return status, status == 200, False, ""

    async def send(self, phase, kind, factory, started):
        tag = self.next_tag()
        try:
            status, ok, cross, error = await asyncio.wait_for(factory(tag), self.args.timeout)
        except (TimeoutError, asyncio.TimeoutError):
            status, ok, cross, error = 0, False, False, f"no answer in {self.args.timeout} s"
        except Exception as exc:  # a refused or reset connection is a failed request
            status, ok, cross, error = 0, False, False, f"{type(exc).__name__}: {exc}"[:160]
        result = Result(
            phase, kind, status, (time.perf_counter() - started) * 1000, ok, cross, error, tag
        )
        if not ok and len(self.first_errors) < 10:
            self.first_errors.append(f"{kind}: {error}")
        return result

    # -- the two runs ---------------------------------------------------------------------------
    async def open_loop(self):
        """Arrivals at --rate/s for --duration s, whatever the answers."""
        rate, duration = self.args.rate, self.args.duration
        offsets, t = [], 0.0
        while True:
            t += self.rng.expovariate(rate) if self.args.arrival == "poisson" else 1 / rate
            if t >= duration:
                break
            offsets.append(t)
        t0 = time.perf_counter()
        tasks = []
        for offset in offsets:
            delay = t0 + offset - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            kind, factory = self.pick()
            # latency from the scheduled instant, not from when the client got round to it
            tasks.append(asyncio.create_task(self.send("open", kind, factory, t0 + offset)))
        results = await asyncio.gather(*tasks)
        return results, time.perf_counter() - t0

    async def closed_loop(self, clients=None, duration=None):
        """--clients clients, each sending its next request as soon as the last one answered."""
        deadline = time.perf_counter() + (duration or self.args.closed_duration)
        results = []

        async def client():
            while time.perf_counter() < deadline:
                kind, factory = self.pick()
                results.append(await self.send("closed", kind, factory, time.perf_counter()))

        t0 = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients or self.args.clients)))
        return results, time.perf_counter() - t0


# -- figures -------------------------------------------------------------------------------------
def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a list of numbers."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def spread(values):
    return f"p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms, p99 {percentile(values, 99):.0f} ms, max {max(values):.0f} ms"


def server_times(log_path, offset, tags):
    """Odoo's time (SQL + Python, ms) and query count per tagged request, from the werkzeug log."""
    found = {}
    if not log_path:
        return found
    with open(log_path, "rb") as log:
        log.seek(offset)
        for raw in log:
            match = WERKZEUG_LINE.search(raw.decode("utf-8", "replace"))
            if match and int(match.group(1)) in tags:
                tag, _status, queries, sql, python = match.groups()
                found[int(tag)] = ((float(sql) + float(python)) * 1000, int(queries))
    return found


def process_memory(root):
    """Resident memory (MiB) and count of the server's processes: ``root`` and its descendants."""
    if not root:
        return None
    parents, rss = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
            parents[int(pid)] = int(fields["PPid"])
            rss[int(pid)] = int(fields.get("VmRSS", "0 kB").split()[0])
        except (OSError, KeyError, ValueError):
            continue
    family, grew = {root}, True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in family} - family
        family |= children
        grew = bool(children)
    return sum(rss.get(pid, 0) for pid in family) / 1024, len(family & rss.keys())


class MemoryWatch:
    """Samples the server's resident memory every second; keeps the peak."""

    def __init__(self, pid):
        self.pid, self.peak, self.task = pid, (0.0, 0), None

    async def run(self):
        while True:
            sample = process_memory(self.pid)
            if sample and sample[0] > self.peak[0]:
                self.peak = sample
            await asyncio.sleep(1)

    def __enter__(self):
        if self.pid:
            self.task = asyncio.get_running_loop().create_task(self.run())
        return self

    def __exit__(self, *exc):
        if self.task:
            self.task.cancel()


def report(title, results, elapsed, args, log_offset, memory):
    tags = {r.tag for r in results}
    server = server_times(args.server_log, log_offset, tags)
    errors = [r for r in results if not r.ok]
    cross = [r for r in results if r.cross]
    client = [r.client_ms for r in results]
    print(f"\n== {title}")
    print(
        f"requests: {len(results)} in {elapsed:.1f} s ({len(results) / elapsed:.1f}/s), "
        f"errors: {len(errors)} ({100 * len(errors) / max(1, len(results)):.1f} %), "
        f"cross-partner data: {len(cross)}"
    )
    print(f"client side: {spread(client)}")
    if server:
        times = [ms for ms, _ in server.values()]
        queries = [q for _, q in server.values()]
        print(
            f"server side ({len(server)} log lines matched): {spread(times)}; "
            f"queries p50 {percentile(queries, 50)}, max {max(queries)}"
        )
    elif args.server_log:
        print("server side: no werkzeug line matched (is --server-log the server's log?)")
    else:
        print("server side: not measured (give --server-log)")
    by_kind = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
    for kind, rows in sorted(by_kind.items()):
        served = [server[r.tag][0] for r in rows if r.tag in server]
        print(
            f"  {kind:<42} {len(rows):>5}  client p95 {percentile([r.client_ms for r in rows], 95):>6.0f} ms"
            + (f"  server p95 {percentile(served, 95):>5.0f} ms" if served else "")
            + (f"  errors {sum(not r.ok for r in rows)}" if any(not r.ok for r in rows) else "")
        )
    if errors:
        print("errors by cause:")
        for cause, n in Counter(r.error.split(":")[0][:60] for r in errors).most_common(6):
            print(f"  {n} x {cause}")
    if memory and memory.peak[1]:
        print(
            f"server memory: peak {memory.peak[0]:.0f} MiB resident in {memory.peak[1]} processes"
        )
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    return errors, cross, client


async def main_async(args):
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=args.timeout)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        bench = Bench(args)
        bench.http = http
        print(
            f"server {bench.base}, database {args.db}; {os.cpu_count()} CPUs, load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg())
        )
        await bench.prepare()
        if args.verbose:
            for partner in bench.partners.values():
                print(f"  markers of {partner.name}: {sorted(partner.markers)}")
        await bench.closed_loop(clients=4, duration=args.warmup)
        bench.first_errors.clear()
        status = 0
        if args.mode in ("open", "both"):
            offset = os.path.getsize(args.server_log) if args.server_log else 0
            with MemoryWatch(args.server_pid) as memory:
                results, elapsed = await bench.open_loop()
            await asyncio.sleep(1)  # the last log lines
            errors, cross, client = report(
                f"open loop: {args.rate:g} requests/s ({args.arrival}) for {args.duration:g} s",
                results,
                elapsed,
                args,
                offset,
                memory,
            )
            p95 = percentile(client, 95)
            met = not errors and not cross and p95 <= TARGET_P95_MS
            print(
                f"target (0 errors, 0 cross-partner data, client p95 <= {TARGET_P95_MS} ms): "
                + ("MET" if met else "MISSED")
            )
            status = 0 if met else 1
        if args.mode in ("closed", "both"):
            offset = os.path.getsize(args.server_log) if args.server_log else 0
            with MemoryWatch(args.server_pid) as memory:
                results, elapsed = await bench.closed_loop()
            await asyncio.sleep(1)
            _errors, cross, _client = report(
                f"closed loop: {args.clients} clients for {args.closed_duration:g} s",
                results,
                elapsed,
                args,
                offset,
                memory,
            )
            ok = sum(r.ok for r in results)
            print(f"throughput sustained: {ok / elapsed:.1f} answered requests/s")
            status = status or (1 if cross else 0)
        if bench.first_errors:
            print("first errors:\n  " + "\n  ".join(bench.first_errors))
        return status


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8069", help="a loopback address")
    parser.add_argument("--db", default="partner_channel")
    parser.add_argument("--mode", choices=("open", "closed", "both"), default="both")
    parser.add_argument("--rate", type=float, default=8.0, help="open loop: arrivals per second")
    parser.add_argument("--duration", type=float, default=60.0, help="open loop: seconds")
    parser.add_argument("--arrival", choices=("poisson", "fixed"), default="poisson")
    parser.add_argument("--clients", type=int, default=50, help="closed loop: clients")
    parser.add_argument("--closed-duration", type=float, default=30.0, help="closed loop: seconds")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--sessions", type=int, default=2, help="logged-in sessions per user")
    parser.add_argument("--manager-share", type=float, default=0.25)
    parser.add_argument("--manager-login", default="admin")
    parser.add_argument("--manager-password", default="admin")
    parser.add_argument("--server-log", help="the server's log file (server-side times)")
    parser.add_argument(
        "--server-pid", type=int, help="pid of odoo-bin (memory of it and its workers)"
    )
    parser.add_argument(
        "--warmup", type=float, default=10.0, help="seconds of 4 clients before timing anything"
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("-v", "--verbose", action="store_true", help="print the markers")
    args = parser.parse_args(argv)
    host = urlsplit(args.url).hostname or ""
    try:
        loopback = host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        parser.error(f"--url must be a loopback address (127.0.0.0/8, ::1, localhost), not {host}")
    if args.duration > 600 or args.closed_duration > 600 or args.clients > 500:
        parser.error("runs are bounded: at most 600 s and 500 clients")
    return args


def main():
    args = parse_args()
    sys.exit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
