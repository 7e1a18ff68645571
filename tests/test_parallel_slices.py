"""Parallel slices shared by real processes: each unit processed exactly once, by one of them.

Two cron workers (tests/cron_worker.py), each an OS process with its own registry and PostgreSQL
connections, run the scheduled actions the way odoo-bin's cron threads do (``ir.cron._process_jobs``:
each takes the ready jobs no other worker holds) on a copy of the installed test database
(PC_TEST_DB), with Parallel Slices set to 2: the original and the twin of a batch job are two
``ir_cron`` rows, so the two workers run them at the same time. Triggers record which worker
(``application_name``) billed each subscription line's period and computed each scorecard.

The units are the test's own: subscriptions from 2024-01-01 billed on 2024-03-15 (January to March,
before any demo subscription starts) and members of a partner type of their own scored on
2024-02-15 (a period no demo data covers), every other membership ended.
"""

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pgtools import CONF, DB, ROOT, connect, database_copy

WORKER = Path(__file__).with_name("cron_worker.py")
NAMES = ("slice-worker-a", "slice-worker-b")

pytestmark = pytest.mark.skipif(not DB, reason="set PC_TEST_DB (setup/test does)")

SUBSCRIPTIONS = 24
BILLING_DAY = "2024-03-15"  # January, February, March due
MONTHS = 3
MEMBERS = 60
SCORING_DAY = "2024-02-15"
INVOICING = "recurring_billing.ir_cron_billing_invoice"
RECOMPUTE = "partner_scorecard.partner_scorecard_cron_recompute"

LOG_TABLE = """
CREATE TABLE slice_test_log (kind varchar, unit varchar, worker varchar);
CREATE FUNCTION slice_test_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO slice_test_log VALUES ('period', NEW.line_id || '/' || NEW.period_start,
                                       current_setting('application_name'));
    RETURN NEW;
END $$;
CREATE TRIGGER slice_test_period AFTER INSERT ON billing_invoice_period
    FOR EACH ROW EXECUTE FUNCTION slice_test_period();
CREATE FUNCTION slice_test_scorecard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO slice_test_log VALUES ('scorecard', NEW.id, current_setting('application_name'));
    RETURN NEW;
END $$;
-- the bulk write of a computed scorecard sets its score; the ranking sets the rank alone
CREATE TRIGGER slice_test_scorecard AFTER UPDATE OF overall_score ON partner_scorecard
    FOR EACH ROW EXECUTE FUNCTION slice_test_scorecard();
"""


class Worker:
    """A cron_worker.py process: loads the registry once, then runs the commands sent to it."""

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
            env={**os.environ, "ODOO_PGAPPNAME": name},
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
def workers(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("slice_workers")
    with database_copy("slices") as db:
        started = [Worker(db, log_dir, name) for name in NAMES]
        try:
            for worker in started:
                worker.answer()  # the registries are loaded
            conn = connect(db)
            with conn.cursor() as cr:
                cr.execute(LOG_TABLE)
            yield started, conn
            conn.close()
        finally:
            for worker in started:
                worker.stop()


def _fetch(conn, sql, params=()):
    with conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _run_at_once(workers, tmp_path):
    """Both workers process the ready jobs from the same moment; their answers."""
    go = tmp_path / "go"
    for worker in workers:
        worker.send("run", ready=tmp_path / worker.name, go=go)
    deadline = time.monotonic() + 30
    while not all((tmp_path / worker.name).exists() for worker in workers):
        assert time.monotonic() < deadline, "the workers did not reach the start line"
        time.sleep(0.005)
    go.touch()
    results = {worker.name: worker.answer(timeout=180) for worker in workers}
    overlap = min(r["ended"] for r in results.values()) - max(
        r["started"] for r in results.values()
    )
    assert overlap > 0, f"the workers ran at the same time: {results}"
    return results


def _assert_one_slice_each(worker_of):
    """``{unit id: worker}``: each worker did part of the work, the units of one slice."""
    slices = {}
    for unit, worker in worker_of.items():
        slices.setdefault(worker, set()).add(unit % 2)
    assert set(slices) == set(NAMES), f"each worker did part of the work: {slices}"
    assert sorted(slices.values(), key=min) == [{0}, {1}], f"each worker ran one slice: {slices}"


def _assert_jobs_finished(conn, crons):
    rows = _fetch(
        conn,
        "SELECT c.id, a.name, c.failure_count, c.nextcall > now() at time zone 'utc'"
        " FROM ir_cron c JOIN ir_act_server a ON a.id = c.ir_actions_server_id"
        " WHERE c.id = ANY(%s)",
        [crons],
    )
    assert len(rows) == 2, "the original and its twin"
    for _id, name, failures, later in rows:
        assert (failures, later) == (0, True), f"{name} finished without failure"


def test_two_workers_bill_each_period_once(workers, tmp_path):
    (a, b), conn = workers
    data = a.call(
        "call",
        function="billing_worker:prepare",
        kwargs={"count": SUBSCRIPTIONS, "start": "2024-01-01", "users": []},
    )
    crons = a.call(
        "slices", count=2, jobs={INVOICING: {"reference_date": BILLING_DAY, "batch_size": 3}}
    )["crons"]
    _run_at_once((a, b), tmp_path)
    _assert_jobs_finished(conn, crons)

    lines = _fetch(
        conn,
        "SELECT l.id, l.subscription_id FROM billing_subscription_line l"
        " WHERE l.subscription_id = ANY(%s)",
        [data["subscription_ids"]],
    )
    logged = _fetch(
        conn,
        "SELECT unit, count(*), min(worker) FROM slice_test_log WHERE kind = 'period' GROUP BY 1",
    )
    assert len(logged) == len(lines) * MONTHS, "every due (line, month) billed"
    assert {n for _unit, n, _w in logged} == {1}, "and billed once"
    # each worker ran one slice: the subscriptions of one parity (id % 2)
    worker_of = {int(unit.split("/")[0]): worker for unit, _n, worker in logged}
    _assert_one_slice_each({subscription: worker_of[line] for line, subscription in lines})
    invoices = _fetch(
        conn,
        "SELECT count(*), count(DISTINCT name), sum(amount_untaxed), bool_and(state = 'posted')"
        " FROM account_move WHERE billing_subscription_id = ANY(%s)",
        [data["subscription_ids"]],
    )[0]
    assert invoices[:2] == (SUBSCRIPTIONS * MONTHS, SUBSCRIPTIONS * MONTHS)
    assert float(invoices[2]) == SUBSCRIPTIONS * MONTHS * 550.0
    assert invoices[3], "all posted"
    # no run met a subscription another had billed, none failed
    results = _fetch(
        conn,
        "SELECT result, count(*) FROM billing_run_line WHERE subscription_id = ANY(%s) GROUP BY 1",
        [data["subscription_ids"]],
    )
    assert dict(results) == {"billed": SUBSCRIPTIONS}


def test_two_workers_compute_each_scorecard_once(workers, tmp_path):
    (a, b), conn = workers
    data = a.call(
        "call",
        function="slice_fixtures:prepare_scorecards",
        kwargs={"count": MEMBERS, "day": SCORING_DAY},
    )
    crons = a.call(
        "slices", count=2, jobs={RECOMPUTE: {"ref_date": SCORING_DAY, "batch_size": 100}}
    )["crons"]
    _run_at_once((a, b), tmp_path)
    _assert_jobs_finished(conn, crons)

    cards = _fetch(
        conn,
        "SELECT s.id, s.membership_id, s.state, s.overall_score, s.rank_in_type"
        " FROM partner_scorecard s WHERE s.period_id = %s",
        [data["period_id"]],
    )
    assert sorted(card[1] for card in cards) == sorted(data["membership_ids"]), (
        "one scorecard per membership"
    )
    assert {card[2] for card in cards} == {"computed"}
    logged = dict(
        _fetch(
            conn,
            "SELECT unit::int, count(*) FROM slice_test_log WHERE kind = 'scorecard' GROUP BY 1",
        )
    )
    assert logged == {card[0]: 1 for card in cards}, "each scorecard computed exactly once"
    worker_of = dict(
        _fetch(conn, "SELECT unit::int, worker FROM slice_test_log WHERE kind = 'scorecard'")
    )
    _assert_one_slice_each({card[1]: worker_of[card[0]] for card in cards})
    # ranked once both slices were done: the competition ranking of the final scores
    scores = sorted((card[3] for card in cards), reverse=True)
    assert {card[0]: card[4] for card in cards} == {
        card[0]: scores.index(card[3]) + 1 for card in cards
    }
