# Odoo imports addons as ``odoo.addons.<name>``. The pure tests of core/ (plain pytest, importlib
# mode) may import this package under another name, or without Odoo's own addons on the path:
# the ORM and web layers are loaded only when Odoo itself loads the addon.
if __name__.startswith("odoo.addons."):
    from . import backends, models

    try:
        from odoo.addons.portal.controllers import portal as _portal_controllers
    except ModuleNotFoundError:  # pragma: no cover - pure pytest run without Odoo's addons
        controllers = None
    else:
        from . import controllers
