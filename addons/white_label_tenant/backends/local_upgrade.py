"""Versions read from, and upgrades run on, a tenant's own Odoo database (the local backend).

- ``read_versions_from_cursor``: Odoo's version is ``base``'s (``ir_module_module``), the module
  versions are the installed modules' ``latest_version``; a database without that table gives
  ``None`` for both, never a made-up version.
- ``odoo_update_command``: the real upgrade is this machine's Odoo run on the tenant database,
  ``odoo-bin -d <db> -u <modules> --stop-after-init`` (no HTTP, no cron), with Odoo's addons path
  plus the extra folders of ``white_label_tenant.upgrade_addons_path`` (where a new release of
  the modules is unpacked), placed first so they win.
"""

import os
import re
import sys

import odoo
from odoo.tools import config

MODULE_NAME_RE = re.compile(r"[a-z0-9_]{1,64}")
# the last lines of Odoo's output kept on the step; an upgrade may take its time
LOG_TAIL = 4000
UPGRADE_TIMEOUT = 3 * 3600


def odoo_series(base_version):
    """'18.0' from base's '18.0.1.3' (None stays None).

    >>> odoo_series("18.0.1.3"), odoo_series("saas~17.4.1.3"), odoo_series(None)
    ('18.0', 'saas~17.4', None)
    """
    if not base_version:
        return None
    return ".".join(base_version.split(".")[:2])


def read_versions_from_cursor(cr):
    """``{"odoo_version": str|None, "modules": {name: {"version", "state"}}|None}``."""
    cr.execute(
        "SELECT array_agg(column_name::text) FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = 'ir_module_module'"
    )
    columns = set(cr.fetchone()[0] or ())
    if not {"name", "state", "latest_version"} <= columns:
        return {"odoo_version": None, "modules": None}
    cr.execute(
        "SELECT name, latest_version, state FROM ir_module_module "
        "WHERE state IN ('installed', 'to upgrade', 'to remove') ORDER BY name"
    )
    modules = {name: {"version": version, "state": state} for name, version, state in cr.fetchall()}
    base = modules.get("base", {}).get("version")
    return {"odoo_version": odoo_series(base), "modules": modules}


def check_module_names(names):
    """The technical names, validated: they end up on a command line."""
    bad = [n for n in names if not MODULE_NAME_RE.fullmatch(n or "")]
    if bad or not names:
        raise ValueError(
            f"Not technical module names: {', '.join(map(repr, bad)) or 'none given'} "
            "(lower-case letters, digits and '_', e.g. sale_management)."
        )
    return list(names)


def odoo_update_command(database, modules, extra_addons_paths=()):
    """The argument list of ``odoo-bin -u`` for ``database`` (never through a shell)."""
    odoo_bin = os.path.join(os.path.dirname(odoo.__path__[0]), "odoo-bin")
    paths = [p for p in extra_addons_paths if p] + [
        p for p in config["addons_path"].split(",") if p
    ]
    command = [
        sys.executable,
        odoo_bin,
        f"--database={database}",
        f"--update={','.join(check_module_names(modules))}",
        "--stop-after-init",
        "--no-http",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=info",
        f"--addons-path={','.join(paths)}",
        f"--data-dir={config['data_dir']}",
    ]
    for key in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(key):
            command.append(f"--{key}={config[key]}")
    return command
