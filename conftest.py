"""pytest configuration for the pure tests (addons/*/tests/core) and the repository tests (tests/).

The pure tests import the addons as ``odoo.addons.<module>`` without any database: the repository's
addons folder is added to the ``odoo.addons`` namespace here, as odoo-bin does from addons_path.
"""

from pathlib import Path

import odoo.addons

ADDONS = str(Path(__file__).resolve().parent / "addons")
if ADDONS not in odoo.addons.__path__:
    odoo.addons.__path__.append(ADDONS)
