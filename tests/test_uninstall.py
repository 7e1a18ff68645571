"""Each module of the suite uninstalls cleanly and installs again.

On a copy of the database setup/test just installed (PC_TEST_DB, the four modules with their demo
data), each module is uninstalled in turn, downstream first (recurring_billing, white_label_tenant,
governance_gates, partner_scorecard), each time in an Odoo process of its own, as an administrator
clicking Uninstall would. Checked after each uninstall: the log holds no error (nor a warning of
the suite), and nothing of the removed modules is left: no external id, no record they shipped
(metrics included), no model, no table; the scorecard templates still add up to 100. Then the
module is installed again: a clean log, its menu and its metrics are back. The copy is dropped at
the end.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pgtools import CONF, DB, ODOO_BIN, ROOT, connect, database_copy

SUITE = ("partner_scorecard", "governance_gates", "white_label_tenant", "recurring_billing")
# a line of Odoo's log that is an error, or a warning: "<date> <time> <pid> <LEVEL> <db> <logger>: "
PROBLEM = re.compile(r"^\S+ \S+ \d+ (?P<level>WARNING|ERROR|CRITICAL) \S+ (?P<logger>[\w.]+):")
# warnings Odoo logs on any server without wkhtmltopdf, as setup/test ignores them
NOISE = re.compile(r"wkhtmltopdf", re.IGNORECASE)

pytestmark = pytest.mark.skipif(not DB, reason="set PC_TEST_DB (setup/test does)")

# Run by `odoo-bin shell` in the copy: what the modules own, then the uninstall, as JSON on stdout.
UNINSTALL = """
import json
module = env["ir.module.module"].search([("name", "=", {module!r})])
removed = (module | module.downstream_dependencies()).filtered(lambda m: m.state == "installed")
names = removed.mapped("name")
# what these modules own alone (a record with an external id of another module stays)
env.cr.execute(
    '''SELECT d.module, d.model, d.res_id FROM ir_model_data d
        WHERE d.module = ANY(%s) AND NOT EXISTS (
              SELECT 1 FROM ir_model_data o
               WHERE o.model = d.model AND o.res_id = d.res_id AND o.module <> ALL(%s))''',
    [names, names],
)
owned = [
    [owner, model, env[model]._table, res_id]
    for owner, model, res_id in env.cr.fetchall()
    if model in env and not env[model]._abstract
]
models = env["ir.model"].browse(
    env["ir.model.data"].search(
        [("module", "in", names), ("model", "=", "ir.model")]
    ).mapped("res_id")
)
own_models = [
    [m.model, env[m.model]._table]
    for m in models
    if m.model in env and not env[m.model]._abstract and set(m.modules.split(", ")) <= set(names)
]
module.button_immediate_uninstall()
print("RESULT " + json.dumps({{"removed": names, "owned": owned, "models": own_models}}))
"""


@pytest.fixture(scope="module")
def copy_db():
    with database_copy("unin") as name:
        yield name


def _odoo(db, log, *args, shell=None):
    """Runs odoo-bin on ``db`` with its log in ``log`` (``shell``: that script in `odoo-bin shell`);
    returns its stdout."""
    command = [sys.executable, str(ODOO_BIN), *(["shell"] if shell else []), "-c", str(CONF)]
    command += ["-d", db, *args, "--no-http", "--workers=0", "--max-cron-threads=0"]
    command += ["--log-level=info", f"--logfile={log}"]
    proc = subprocess.run(
        command, input=shell, capture_output=True, text=True, timeout=600, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, f"odoo-bin {args} exited {proc.returncode}: {proc.stderr[-3000:]}"
    return proc.stdout


def _problems(log):
    """The errors of a log, and the warnings of the suite's modules."""
    found = []
    for line in Path(log).read_text().splitlines():
        match = PROBLEM.match(line)
        if not match or NOISE.search(line):
            continue
        suite_logger = any(f"odoo.addons.{m}" in match["logger"] for m in SUITE)
        if match["level"] != "WARNING" or suite_logger:
            found.append(line[:400])
    return found


def _fetch(conn, sql, params=()):
    with conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _table_exists(conn, table):
    return bool(_fetch(conn, "SELECT to_regclass(%s)", [f'"{table}"'])[0][0])


def _template_weight_problems(conn):
    """Templates whose metric weights (per domain) or domain weights do not add up to 100."""
    return _fetch(
        conn,
        """
        SELECT t.id, l.domain, sum(l.weight)
          FROM scorecard_template t JOIN scorecard_template_line l ON l.template_id = t.id
         WHERE t.active GROUP BY t.id, l.domain HAVING abs(sum(l.weight) - 100) > 0.01
        UNION ALL
        SELECT t.id, NULL, sum(d.weight)
          FROM scorecard_template t JOIN scorecard_template_domain d ON d.template_id = t.id
         WHERE t.active GROUP BY t.id HAVING abs(sum(d.weight) - 100) > 0.01
        """,
    )


@pytest.mark.parametrize(
    "module", ["recurring_billing", "white_label_tenant", "governance_gates", "partner_scorecard"]
)
def test_uninstall_leaves_nothing_and_reinstall_works(copy_db, module, tmp_path):
    out = _odoo(copy_db, tmp_path / "uninstall.log", shell=UNINSTALL.format(module=module))
    result = json.loads(next(line[7:] for line in out.splitlines() if line.startswith("RESULT ")))
    assert module in result["removed"]
    assert _problems(tmp_path / "uninstall.log") == []

    conn = connect(copy_db)
    try:
        removed = result["removed"]
        states = dict(
            _fetch(conn, "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", [removed])
        )
        assert set(states.values()) == {"uninstalled"}, states
        assert (
            _fetch(
                conn,
                "SELECT module, model, name FROM ir_model_data WHERE module = ANY(%s)",
                [removed],
            )
            == []
        )
        # every record the modules shipped (metrics, products, templates, menus...) is gone
        by_table = {}
        for owner, model, table, res_id in result["owned"]:
            by_table.setdefault((table, model), {})[res_id] = owner
        left = [
            (by_table[table, model][res_id], model, res_id)
            for (table, model), ids in by_table.items()
            if _table_exists(conn, table)
            for (res_id,) in _fetch(
                conn, f'SELECT id FROM "{table}" WHERE id = ANY(%s)', [list(ids)]
            )
        ]
        assert left == []
        own_models = [model for model, _table in result["models"]]
        assert own_models, "the modules own models"
        assert _fetch(conn, "SELECT model FROM ir_model WHERE model = ANY(%s)", [own_models]) == []
        assert [t for _m, t in result["models"] if _table_exists(conn, t)] == []
        if "partner_scorecard" not in removed:
            assert _template_weight_problems(conn) == []
    finally:
        conn.close()

    _odoo(copy_db, tmp_path / "install.log", "-i", module, "--stop-after-init")
    assert _problems(tmp_path / "install.log") == []
    conn = connect(copy_db)
    try:
        assert _fetch(conn, "SELECT state FROM ir_module_module WHERE name = %s", [module]) == [
            ("installed",)
        ]
        menus = _fetch(
            conn,
            "SELECT count(*) FROM ir_model_data d JOIN ir_ui_menu m ON m.id = d.res_id"
            " WHERE d.module = %s AND d.model = 'ir.ui.menu'",
            [module],
        )[0][0]
        assert menus > 0, f"{module} has its menus again"
        metrics = _fetch(
            conn,
            "SELECT count(*) FROM ir_model_data d JOIN scorecard_metric m ON m.id = d.res_id"
            " WHERE d.module = %s AND d.model = 'scorecard.metric' AND m.active",
            [module],
        )[0][0]
        assert metrics > 0, f"{module} has its metrics again"
        assert _template_weight_problems(conn) == []
    finally:
        conn.close()
