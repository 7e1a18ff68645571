"""Checks every module of the suite runs on itself: it loads, it is secured, its UI opens."""

from odoo.tests import new_test_user


class ModuleLoadChecks:
    """Mixin for a TransactionCase: set ``module`` to the technical name of the addon under test."""

    module = None
    allow_inherited_tests_method = True

    def _module_models(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", self.module), ("model", "=", "ir.model")]
        )
        return (
            self.env["ir.model"]
            .browse(data.mapped("res_id"))
            .filtered(
                lambda m: not self.env[m.model]._abstract and not self.env[m.model]._transient
            )
        )

    def test_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", self.module)])
        self.assertEqual(module.state, "installed")

    def test_every_model_has_access_rights(self):
        for model in self._module_models():
            self.assertTrue(
                self.env["ir.model.access"].search_count([("model_id", "=", model.id)]),
                f"{model.model} has no access rights",
            )

    def test_menus_open_for_channel_user(self):
        user = new_test_user(
            self.env, login=f"chk_{self.module}", groups="partner_scorecard.group_channel_user"
        )
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        root = self.env.ref("partner_scorecard.partner_channel_menu_root")
        self.assertIn(root.id, menus, "the Partner Channel app is not visible to a channel user")
        own = self.env["ir.model.data"].search(
            [("module", "=", self.module), ("model", "=", "ir.ui.menu")]
        )
        self.assertTrue(own, f"{self.module} adds no menu to the Partner Channel app")

    def test_actions_and_views_load(self):
        actions = self.env["ir.model.data"].search(
            [("module", "=", self.module), ("model", "=", "ir.actions.act_window")]
        )
        for action in self.env["ir.actions.act_window"].browse(actions.mapped("res_id")):
            views = [(v.view_id.id, v.view_mode) for v in action.view_ids] or [
                (False, mode) for mode in action.view_mode.split(",")
            ]
            result = self.env[action.res_model].get_views(views)
            self.assertTrue(result["views"], f"action {action.name} has no view")
