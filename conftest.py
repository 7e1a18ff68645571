"""pytest configuration for the pure tests (addons/*/tests/core) and the repository tests (tests/).

The pure tests need no database. They import the addons as ``odoo.addons.<module>``, as odoo-bin
does: the repository's addons folder and Odoo's are added to the ``odoo.addons`` namespace, and each
addon is also registered under its bare name, because pytest names a test file after its package
path (``partner_scorecard.tests.core.test_tiers``) and Odoo refuses models imported under any name
but ``odoo.addons.*``.
"""

import importlib
import sys
from pathlib import Path

import odoo.addons

ROOT = Path(__file__).resolve().parent
ODOO_ADDONS = str(Path(odoo.__file__).resolve().parent.parent / "addons")
ADDONS = str(ROOT / "addons")
for path in (ODOO_ADDONS, ADDONS):
    if path not in odoo.addons.__path__:
        odoo.addons.__path__.append(path)

for manifest in sorted((ROOT / "addons").glob("*/__manifest__.py")):
    name = manifest.parent.name
    sys.modules.setdefault(name, importlib.import_module(f"odoo.addons.{name}"))
