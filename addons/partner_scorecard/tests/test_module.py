from odoo.tests import TransactionCase, tagged

from .module_checks import ModuleLoadChecks


@tagged("post_install", "-at_install")
class TestModule(ModuleLoadChecks, TransactionCase):
    module = "partner_scorecard"

    def test_manager_implies_user(self):
        manager = self.env.ref("partner_scorecard.group_channel_manager")
        self.assertIn(self.env.ref("partner_scorecard.group_channel_user"), manager.implied_ids)
        self.assertIn(manager, self.env.ref("base.user_admin").groups_id)
