from odoo.tests import TransactionCase, tagged

from odoo.addons.partner_scorecard.tests.module_checks import ModuleLoadChecks


@tagged("post_install", "-at_install")
class TestModule(ModuleLoadChecks, TransactionCase):
    module = "white_label_tenant"
