"""Shared helpers of the white_label_tenant benchmarks: open an Odoo environment on a database."""

import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def addons_on_path():
    """Makes ``odoo.addons.<module>`` importable without a database, as odoo-bin does: Odoo's
    addons (portal, ...) and the suite's, which ``white_label_tenant/__init__`` imports from."""
    import odoo

    import odoo.addons

    for path in (Path(odoo.__file__).resolve().parent.parent / "addons", ROOT / "addons"):
        if str(path) not in odoo.addons.__path__:
            odoo.addons.__path__.append(str(path))


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


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(
        description=__doc__ + " A module of the benchmarks, not one itself."
    ).parse_args()
