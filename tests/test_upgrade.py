"""The previous release upgrades to the working tree: a clean log, the records and figures survive.

The previous release is the commit named in ``setup/previous-release`` (tags may not travel with a
clone; the commit must be in the history: a fresh clone of main has it). The test extracts that
commit's ``addons/`` with ``git archive`` into a temporary folder, installs the four modules with
their demo data from there on a new database, records what a customer would check after an upgrade
(scorecards and their scores, gates and their lines, tenants, subscriptions, posted invoices, the MRR
ledger), then updates the four modules from the working tree (``-u``, the command an upgrade runs)
and checks:

- the update log holds no error and no warning (nothing is allowed but wkhtmltopdf's notice, which
  Odoo logs on any server without it, as setup/test ignores it);
- every record of the old release is still there with the same figures (compared by id: a new
  release may add records, not change or lose the old ones), and the totals over the old records
  are equal;
- the four modules are installed at the working tree's version, their demo data still loaded;
- the migrations did their work: the MRR and renewal rate metrics, Manual in the old release, are
  measured (recurring_billing 18.0.1.1.0); of two copies of a criterion added before the upgrade
  (as updates before e9fcab4 did), the one no gate line names is gone, the other stays
  (governance_gates 18.0.1.1.0).

Database ``<PC_TEST_DB>_upg`` (or PC_UPGRADE_DB), dropped at the end with its filestore. Run by
setup/test (stage 4), or alone: ``PC_UPGRADE_DB=h_upg .venv/bin/python -m pytest -q
tests/test_upgrade.py``. About 3 minutes on a free machine.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from pgtools import CONF, ROOT, connect, filestore

import odoo

ODOO_SRC = Path(odoo.__file__).resolve().parent.parent
PREVIOUS = ROOT / "setup" / "previous-release"
SUITE = ("partner_scorecard", "governance_gates", "white_label_tenant", "recurring_billing")
DB = os.environ.get("PC_UPGRADE_DB") or (
    os.environ["PC_TEST_DB"] + "_upg" if os.environ.get("PC_TEST_DB") else None
)
PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)
# Odoo's own notice on any server without wkhtmltopdf (PDF reports), ignored by setup/test too
NOISE = re.compile(r"wkhtmltopdf", re.IGNORECASE)

pytestmark = pytest.mark.skipif(not DB, reason="set PC_TEST_DB (setup/test does) or PC_UPGRADE_DB")

# What must survive, per record (first column: the id the before/after rows are matched by).
RECORDS = {
    "scorecards": "SELECT id, partner_id, state, has_score, round(overall_score::numeric, 4)"
    " FROM partner_scorecard",
    "gates": "SELECT id, template_id, res_model, res_id, state, round(should_score::numeric, 4)"
    " FROM governance_gate",
    "gate lines": "SELECT id, gate_id, criterion_id, kind, done, waived FROM governance_gate_line",
    "tenants": "SELECT id, name, partner_id, state, project_id FROM tenant_tenant",
    "subscriptions": "SELECT id, name, partner_id, state, mrr, next_invoice_date"
    " FROM billing_subscription",
    "posted invoices": "SELECT id, name, partner_id, move_type, amount_total, amount_residual"
    " FROM account_move WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')",
    "MRR ledger": "SELECT id, subscription_id, movement_type, date, amount FROM billing_mrr_movement",
}
# Totals over the old records (the ids recorded before the upgrade).
TOTALS = {
    "MRR ledger total": "SELECT sum(amount) FROM billing_mrr_movement WHERE id = ANY(%s)",
    "invoiced total": "SELECT sum(amount_total_signed) FROM account_move WHERE id = ANY(%s)",
    "scorecard scores": "SELECT sum(overall_score) FROM partner_scorecard WHERE id = ANY(%s)",
}
TOTAL_IDS = {
    "MRR ledger total": "MRR ledger",
    "invoiced total": "posted invoices",
    "scorecard scores": "scorecards",
}


def _drop():
    conn = connect("postgres")
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    conn.close()
    store = filestore(DB)
    if store:
        shutil.rmtree(store, ignore_errors=True)


def _previous_release():
    lines = [line.strip() for line in PREVIOUS.read_text().splitlines()]
    commits = [line for line in lines if line and not line.startswith("#")]
    assert len(commits) == 1, f"{PREVIOUS} must name one commit, found {commits}"
    return commits[0]


def _odoo(log, addons, *args):
    command = [sys.executable, str(ODOO_SRC / "odoo-bin"), "-c", str(CONF), "-d", DB]
    command += [f"--addons-path={ODOO_SRC / 'odoo' / 'addons'},{ODOO_SRC / 'addons'},{addons}"]
    command += [*args, "--stop-after-init", "--no-http", "--workers", "0"]
    command += ["--max-cron-threads", "0", "--log-level", "info", "--logfile", str(log)]
    started = time.monotonic()
    proc = subprocess.run(
        command, capture_output=True, text=True, timeout=900, cwd=ROOT, check=False
    )
    text = log.read_text() if log.exists() else ""
    assert proc.returncode == 0, f"odoo-bin {args} exited {proc.returncode}: {text[-3000:]}"
    return text, time.monotonic() - started


def _snapshot(conn):
    with conn.cursor() as cr:
        records = {}
        for name, query in RECORDS.items():
            cr.execute(query)
            records[name] = {row[0]: row[1:] for row in cr.fetchall()}
        totals = {}
        for name, query in TOTALS.items():
            cr.execute(query, [list(records[TOTAL_IDS[name]])])
            totals[name] = round(float(cr.fetchone()[0] or 0), 2)
        cr.execute(
            "SELECT name, state, latest_version, demo FROM ir_module_module WHERE name = ANY(%s)",
            [list(SUITE)],
        )
        modules = {name: (state, version, demo) for name, state, version, demo in cr.fetchall()}
    return records, totals, modules


METRIC_PROVIDERS = """
    SELECT d.name, m.provider FROM scorecard_metric m
      JOIN ir_model_data d ON d.model = 'scorecard.metric' AND d.res_id = m.id
     WHERE d.module = 'partner_scorecard' AND d.name IN ('metric_revenue_mrr', 'metric_revenue_renewal_rate')
"""
# a copy of a criterion, as an update before e9fcab4 added to the shipped templates
COPY_CRITERION = """
    INSERT INTO governance_gate_criterion (template_id, sequence, name, description, kind, weight,
           check_type, check_domain, python_check, evidence_required, portal_tickable,
           create_uid, write_uid, create_date, write_date)
    SELECT template_id, sequence, name, description, kind, weight, check_type, check_domain,
           python_check, evidence_required, portal_tickable, create_uid, write_uid, create_date,
           write_date
      FROM governance_gate_criterion WHERE id = %s
    RETURNING id
"""


def _duplicate_criteria(conn):
    """Two copies of a criterion a gate line refers to; a line is moved to the second copy.
    Returns (original, unreferenced copy, referenced copy)."""
    with conn.cursor() as cr:
        cr.execute(
            "SELECT criterion_id, min(id) FROM governance_gate_line"
            " WHERE criterion_id IS NOT NULL GROUP BY criterion_id ORDER BY criterion_id LIMIT 1"
        )
        original, line_id = cr.fetchone()
        cr.execute(COPY_CRITERION, [original])
        unreferenced = cr.fetchone()[0]
        cr.execute(COPY_CRITERION, [original])
        referenced = cr.fetchone()[0]
        cr.execute(
            "UPDATE governance_gate_line SET criterion_id = %s WHERE id = %s", [referenced, line_id]
        )
    return original, unreferenced, referenced


def _manifest_version(module):
    manifest = ast.literal_eval((ROOT / "addons" / module / "__manifest__.py").read_text())
    return manifest["version"]


@pytest.fixture
def old_addons(tmp_path):
    commit = _previous_release()
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert found.returncode == 0, (
        f"the previous release {commit} (named in {PREVIOUS}) is not in this clone's history: "
        "fetch it (git fetch --unshallow) or name a commit of main"
    )
    archive = tmp_path / "previous.tar"
    subprocess.run(["git", "archive", "-o", str(archive), commit, "addons"], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "previous", filter="data")
    return tmp_path / "previous" / "addons"


PURGE_CRON = """
    SELECT c.id FROM ir_cron c JOIN ir_act_server a ON a.id = c.ir_actions_server_id
     WHERE a.code LIKE '%_cron_purge_expired%'
        OR c.id IN (SELECT res_id FROM ir_model_data
                     WHERE module = 'white_label_tenant' AND name = 'cron_purge_expired')
"""


def test_the_previous_release_upgrades_with_its_records_and_figures(old_addons, tmp_path):
    _drop()
    try:
        text, seconds = _odoo(tmp_path / "install.log", old_addons, "-i", ",".join(SUITE))
        print(f"install of the previous release with demo data: {seconds:.0f} s")
        conn = connect(DB)
        original, unreferenced, referenced = _duplicate_criteria(conn)
        before, totals_before, modules_before = _snapshot(conn)
        with conn.cursor() as cr:
            cr.execute(METRIC_PROVIDERS)
            providers_before = dict(cr.fetchall())
            # an integrator had switched on the old release's per-age backup purge
            cr.execute(PURGE_CRON)
            purge_before = cr.fetchall()
            cr.execute(
                "UPDATE ir_cron SET active = true WHERE id = ANY(%s)",
                [[r[0] for r in purge_before]],
            )
        conn.close()
        assert all(demo for _state, _version, demo in modules_before.values()), modules_before
        # the demo data gives every figure something to compare
        assert all(before.values()), {name: len(rows) for name, rows in before.items()}

        text, seconds = _odoo(tmp_path / "upgrade.log", ROOT / "addons", "-u", ",".join(SUITE))
        print(f"upgrade to the working tree: {seconds:.0f} s")
        problems = [
            line[:400]
            for line in text.splitlines()
            if PROBLEM.match(line) and not NOISE.search(line)
        ]
        assert not problems, "the upgrade log holds problems:\n" + "\n".join(problems[:40])

        conn = connect(DB)
        after, totals_after, modules_after = _snapshot(conn)
        with conn.cursor() as cr:
            cr.execute(METRIC_PROVIDERS)
            providers_after = dict(cr.fetchall())
            cr.execute(
                "SELECT id FROM governance_gate_criterion WHERE id = ANY(%s) ORDER BY id",
                [[original, unreferenced, referenced]],
            )
            criteria_after = [row[0] for row in cr.fetchall()]
            cr.execute(PURGE_CRON)
            purge_after = cr.fetchall()
        conn.close()
        # the per-age backup purge, which removed files the retention rules keep, is gone with
        # its external id (white_label_tenant's migration 18.0.1.1.0)
        assert len(purge_before) == 1, purge_before
        assert purge_after == [], purge_after
        # the MRR and renewal rate, Manual in the previous release, are measured as on a fresh
        # install (recurring_billing's migration 18.0.1.1.0)
        assert providers_before == dict.fromkeys(providers_before, "manual"), providers_before
        assert providers_after == {
            "metric_revenue_mrr": "billing_mrr",
            "metric_revenue_renewal_rate": "billing_renewal_rate",
        }, providers_after
        # the duplicate criterion nothing refers to is gone, the one a gate line names stays
        # (governance_gates' migration 18.0.1.1.0)
        assert criteria_after == [original, referenced], criteria_after
        assert modules_after == {
            module: ("installed", _manifest_version(module), True) for module in SUITE
        }, modules_after
        for name, rows in before.items():
            lost = sorted(set(rows) - set(after[name]))
            assert not lost, f"{name}: the upgrade lost the records {lost[:20]}"
            changed = {
                record_id: (values, after[name][record_id])
                for record_id, values in rows.items()
                if after[name][record_id] != values
            }
            assert not changed, f"{name}: the upgrade changed (before, after) {changed}"
        assert totals_after == totals_before
        print(
            "survived: "
            + ", ".join(f"{len(rows)} {name}" for name, rows in before.items())
            + "; "
            + ", ".join(f"{name} {value}" for name, value in totals_before.items())
        )
    finally:
        _drop()
