"""Invoicing never bills a period twice, with two workers in two OS processes at once or a crash.

Odoo's test cursors share one serialised connection, so recurring_billing's own "two cursors" test
cannot run its workers at the same time. Here every worker is a separate OS process
(tests/billing_worker.py) with its own registry and PostgreSQL connections, on a copy of the database
setup/test just installed (PC_TEST_DB, demo data committed); the copy is dropped at the end.

The subscriptions are created by the test (monthly, pre-paid, two lines, from 2024-01-01, before any
demo subscription starts), so on 2024-03-15 exactly January to March of each are due, and on
2024-06-15 April to June. What is checked is what an accountant would see: each subscription line
invoiced once per period, one invoice per subscription per period, the total amount, no invoice
without its billed-period rows, and nothing left over for a later run.
"""

import json
import select
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from pgtools import CONF, DB, ROOT, connect, database_copy

WORKER = Path(__file__).with_name("billing_worker.py")

pytestmark = pytest.mark.skipif(not DB, reason="set PC_TEST_DB (setup/test does)")

START = date(2024, 1, 1)
FIRST_RUN = date(2024, 3, 15)  # January, February, March due
SECOND_RUN = date(2024, 6, 15)  # April, May, June due
SUBSCRIPTIONS = 12
LINE_PRICES = (400.0, 150.0)  # per month, see billing_worker.prepare
BATCH = 2  # subscriptions per transaction: the two workers interleave batch by batch
CRASH_AFTER = 5  # the crashing worker is stopped for good when it inserts its sixth invoice
LOCK_KEY = 62736  # advisory lock the test holds to stop the crashing worker
USERS = ("worker_a", "worker_b", "worker_third", "worker_crash", "worker_recover")


@pytest.fixture(scope="module")
def copy_db():
    with database_copy("billing") as name:
        yield name


class Worker:
    """A billing_worker.py process: loads the registry once, then runs the commands sent to it."""

    def __init__(self, db, log_dir, name):
        self.name = name
        self.log = open(log_dir / f"{name}.log", "w+")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), "-c", str(CONF), "-d", db],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def send(self, command, **params):
        self.proc.stdin.write(json.dumps({"command": command, **params}, default=str) + "\n")
        self.proc.stdin.flush()

    def answer(self, timeout=120):
        ready, _w, _x = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.log.seek(0)
            pytest.fail(f"{self.name} gave no answer:\n{self.log.read()[-3000:]}")
        return json.loads(line)

    def call(self, command, **params):
        self.send(command, **params)
        return self.answer()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        self.log.close()


@pytest.fixture(scope="module")
def workers(copy_db, tmp_path_factory):
    """Two loaded workers, the test subscriptions and the worker users committed in the copy."""
    log_dir = tmp_path_factory.mktemp("billing_workers")
    a, b = Worker(copy_db, log_dir, "worker_a"), Worker(copy_db, log_dir, "worker_b")
    try:
        a.answer(), b.answer()  # both registries loaded
        data = a.call("prepare", count=SUBSCRIPTIONS, start=START, users=USERS)
        assert len(data["subscription_ids"]) == SUBSCRIPTIONS
        conn = connect(copy_db)
        yield a, b, conn, data
        conn.close()
    finally:
        a.stop()
        b.stop()


def _fetch(conn, sql, params=()):
    with conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _snapshot(conn, partner_id):
    """What the test subscriptions have been billed so far."""
    return {
        "invoices": _fetch(
            conn,
            "SELECT count(*) FROM account_move m JOIN billing_subscription s"
            " ON s.id = m.billing_subscription_id WHERE s.partner_id = %s",
            [partner_id],
        )[0][0],
        "periods": _fetch(
            conn,
            "SELECT count(*) FROM billing_invoice_period p JOIN billing_subscription_line l"
            " ON l.id = p.line_id JOIN billing_subscription s ON s.id = l.subscription_id"
            " WHERE s.partner_id = %s",
            [partner_id],
        )[0][0],
        "runs": _fetch(conn, "SELECT count(*) FROM billing_run")[0][0],
        "high_water": _fetch(
            conn,
            "SELECT array_agg(l.last_date_invoiced ORDER BY l.id) FROM billing_subscription_line l"
            " JOIN billing_subscription s ON s.id = l.subscription_id WHERE s.partner_id = %s",
            [partner_id],
        )[0][0],
    }


def _months(until):
    month, months = START, []
    while month <= until:
        months.append(month)
        month += relativedelta(months=1)
    return months


def assert_billed_exactly_once(conn, partner_id, until):
    """Every (line, month) from START to ``until`` is invoiced once, and nothing else is."""
    months = _months(until)
    lines = _fetch(
        conn,
        "SELECT l.id FROM billing_subscription_line l JOIN billing_subscription s"
        " ON s.id = l.subscription_id WHERE s.partner_id = %s",
        [partner_id],
    )
    assert len(lines) == SUBSCRIPTIONS * len(LINE_PRICES)
    expected = sorted((line_id, month) for (line_id,) in lines for month in months)
    billed = _fetch(
        conn,
        "SELECT p.line_id, p.period_start FROM billing_invoice_period p"
        " JOIN billing_subscription_line l ON l.id = p.line_id"
        " JOIN billing_subscription s ON s.id = l.subscription_id"
        " WHERE s.partner_id = %s AND p.kind = 'charge' ORDER BY 1, 2",
        [partner_id],
    )
    assert billed == expected, "every due (line, period) is billed exactly once"
    # the accounting side, independent of the billed-period table: one invoice line per
    # subscription line and invoice date, one invoice per subscription and period
    invoice_lines = _fetch(
        conn,
        "SELECT aml.billing_line_id, m.invoice_date, count(*) FROM account_move_line aml"
        " JOIN account_move m ON m.id = aml.move_id"
        " JOIN billing_subscription s ON s.id = m.billing_subscription_id"
        " WHERE s.partner_id = %s AND aml.billing_line_id IS NOT NULL"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        [partner_id],
    )
    assert [(line, day) for line, day, _n in invoice_lines] == expected
    assert {n for _line, _day, n in invoice_lines} == {1}, "no subscription line invoiced twice"
    invoices = _fetch(
        conn,
        "SELECT m.billing_subscription_id, m.invoice_date, m.state, m.name, m.amount_untaxed,"
        " (SELECT count(*) FROM billing_invoice_period p WHERE p.move_id = m.id)"
        " FROM account_move m JOIN billing_subscription s ON s.id = m.billing_subscription_id"
        " WHERE s.partner_id = %s",
        [partner_id],
    )
    assert len(invoices) == SUBSCRIPTIONS * len(months), "one invoice per subscription per period"
    assert len({(sub, day) for sub, day, *_rest in invoices}) == len(invoices)
    assert {state for _s, _d, state, *_rest in invoices} == {"posted"}
    assert len({name for _s, _d, _st, name, *_rest in invoices}) == len(invoices)
    assert {float(amount) for *_rest, amount, _n in invoices} == {sum(LINE_PRICES)}
    assert {n for *_rest, n in invoices} == {len(LINE_PRICES)}, "no invoice without its periods"
    return invoices


def test_two_workers_at_once_bill_every_period_once(workers, tmp_path):
    a, b, conn, data = workers
    partner_id = data["partner_id"]
    go = tmp_path / "go"
    for worker in (a, b):
        worker.send(
            "bill",
            user=worker.name,
            date=FIRST_RUN,
            batch=BATCH,
            ready=tmp_path / worker.name,
            go=go,
        )
    deadline = time.monotonic() + 30
    while not ((tmp_path / a.name).exists() and (tmp_path / b.name).exists()):
        assert time.monotonic() < deadline, "the workers did not reach the start line"
        time.sleep(0.005)
    go.touch()
    results = {a.name: a.answer(), b.name: b.answer()}

    assert_billed_exactly_once(conn, partner_id, FIRST_RUN)
    by_worker = dict(
        _fetch(
            conn,
            "SELECT u.login, count(*) FROM account_move m JOIN res_users u ON u.id = m.create_uid"
            " JOIN billing_subscription s ON s.id = m.billing_subscription_id"
            " WHERE s.partner_id = %s GROUP BY u.login",
            [partner_id],
        )
    )
    report = {
        name: {key: result[key] for key in ("invoices", "batches", "retries")}
        for name, result in results.items()
    }
    print(f"\ntwo workers at once (invoices per batch, serialisation retries): {report}")
    assert by_worker == {name: result["invoices"] for name, result in results.items()}
    assert all(by_worker.values()), f"both workers billed: {report}"
    overlap = min(r["ended"] for r in results.values()) - max(
        r["started"] for r in results.values()
    )
    assert overlap > 0, f"the two workers billed at the same time: {report}"

    # a third run after both bills nothing more (whether it logs an empty run is its own affair)
    before = _snapshot(conn, partner_id)
    assert a.call("bill", user="worker_third", date=FIRST_RUN)["invoices"] == 0
    after = _snapshot(conn, partner_id)
    assert {**after, "runs": 0} == {**before, "runs": 0}


def test_crash_halfway_leaves_nothing_and_next_run_bills_everything_once(workers):
    a, b, conn, data = workers
    partner_id = data["partner_id"]
    before = _snapshot(conn, partner_id)
    # Worker b, billing as worker_crash, is stopped inside its transaction when it inserts its
    # sixth invoice (a trigger waits there on an advisory lock the test holds), then killed with
    # SIGKILL, as a worker dying in the middle of a run. The trigger only concerns that user.
    with conn.cursor() as cr:
        cr.execute("CREATE SEQUENCE billing_test_crash_seq")
        cr.execute(
            f"""
            CREATE FUNCTION billing_test_crash() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.create_uid = {data["users"]["worker_crash"]} THEN
                    IF nextval('billing_test_crash_seq') > {CRASH_AFTER} THEN
                        PERFORM pg_advisory_xact_lock({LOCK_KEY});
                    END IF;
                END IF;
                RETURN NEW;
            END $$"""
        )
        cr.execute(
            "CREATE TRIGGER billing_test_crash BEFORE INSERT ON account_move"
            " FOR EACH ROW EXECUTE FUNCTION billing_test_crash()"
        )
        cr.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    backend = None
    try:
        b.send("bill", user="worker_crash", date=SECOND_RUN)
        deadline = time.monotonic() + 60
        while not (
            waiting := _fetch(
                conn,
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND objid = %s",
                [LOCK_KEY],
            )
        ):
            assert b.proc.poll() is None, "the crashing worker ended early"
            assert time.monotonic() < deadline, "the crashing worker never reached its 6th invoice"
            time.sleep(0.02)
        backend = waiting[0][0]
        written = _fetch(conn, "SELECT last_value FROM billing_test_crash_seq")[0][0] - 1
        assert written == CRASH_AFTER, "five invoices written in the open transaction"
        # meanwhile another worker skips the rows the stopped one holds instead of waiting
        a.send("bill", user="worker_third", date=SECOND_RUN)
        assert a.answer(timeout=30)["invoices"] == 0, "locked subscriptions are skipped"
    finally:
        b.proc.send_signal(signal.SIGKILL)
        assert b.proc.wait(timeout=30) == -signal.SIGKILL
        with conn.cursor() as cr:
            cr.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        # PostgreSQL notices the dead client and rolls its transaction back
        deadline = time.monotonic() + 30
        while backend and _fetch(conn, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]):
            assert time.monotonic() < deadline, "the killed worker's connection stayed open"
            time.sleep(0.05)
        with conn.cursor() as cr:
            cr.execute("DROP TRIGGER billing_test_crash ON account_move")
            cr.execute("DROP FUNCTION billing_test_crash()")
            cr.execute("DROP SEQUENCE billing_test_crash_seq")
    assert _snapshot(conn, partner_id) == before, "the crashed run left nothing half-written"

    recovered = a.call("bill", user="worker_recover", date=SECOND_RUN)
    assert recovered["invoices"] == SUBSCRIPTIONS * len(_months(SECOND_RUN)) - before["invoices"]
    assert_billed_exactly_once(conn, partner_id, SECOND_RUN)
