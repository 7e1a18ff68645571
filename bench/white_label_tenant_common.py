"""Shared helpers of the white_label_tenant benchmarks: open an Odoo environment on a database."""

import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def odoo_env(dbname):
    """An Odoo environment (superuser) on ``dbname``; everything is rolled back at the end."""
    import odoo
    from odoo import SUPERUSER_ID, api

    conf = os.environ.get("ODOO_RC") or str(ROOT / ".local" / "odoo.conf")
    odoo.tools.config.parse_config(["-c", conf, "-d", dbname, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "tenant.incident" not in env:
            sys.exit(f"white_label_tenant is not installed in {dbname}")
        try:
            yield env
        finally:
            cr.rollback()
