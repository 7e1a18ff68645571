"""Shared plumbing of the benchmarks: a benchmark database with the modules installed, and an
Odoo environment on it. Run a benchmark with the project's venv, e.g.

    .venv/bin/python bench/partner_scorecard_recompute.py

It bootstraps like the test command (setup/bootstrap), creates the database ``pc_bench_<module>``
once (without demo data), and leaves it for the next run (drop it with dropdb to start afresh).
"""

import argparse
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_CONF = ROOT / ".local" / "odoo.conf"


def cli(doc, configure=None):
    """The command line of a benchmark: ``--help`` prints its docstring, before anything imports
    Odoo or touches a database; ``configure(parser)`` adds the benchmark's own options."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    if configure:
        configure(parser)
    return parser.parse_args()


def bootstrap():
    subprocess.run(["bash", str(ROOT / "setup" / "bootstrap")], check=True)
    env = {}
    for line in RUNTIME_CONF.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith((";", "#", "[")):
            key, value = (part.strip() for part in line.split("=", 1))
            env[key] = value
    return env


def odoo_bin():
    src = next(
        line.split("=", 1)[1].strip().split(",")[0]
        for line in RUNTIME_CONF.read_text().splitlines()
        if line.startswith("addons_path")
    )
    return str(Path(src).parent.parent / "odoo-bin")


def ensure_database(db, modules):
    conf = bootstrap()
    pg = dict(
        os.environ,
        PGHOST=conf["db_host"],
        PGPORT=conf["db_port"],
        PGUSER=conf["db_user"],
    )
    installed = subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-tAc",
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)"
            % ("ARRAY[" + ",".join(f"'{m}'" for m in modules) + "]"),
        ],
        env=pg,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if installed != str(len(modules)):
        print(f"creating benchmark database {db} with {', '.join(modules)} (once)", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                odoo_bin(),
                "-c",
                str(RUNTIME_CONF),
                "-d",
                db,
                "-i",
                ",".join(modules),
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
                "--max-cron-threads=0",
            ],
            check=True,
        )
    return conf


@contextmanager
def odoo_env(db):
    """An environment as superuser on ``db``; everything is rolled back at the end."""
    import odoo
    from odoo.tools import config

    config.parse_config(["-c", str(RUNTIME_CONF), "-d", db])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()


if __name__ == "__main__":
    cli(__doc__ + "\nA module of the benchmarks, not one itself: run one of bench/*.py.")
