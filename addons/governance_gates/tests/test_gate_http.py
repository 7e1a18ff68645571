from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestGateRpc(HttpCase):
    """A transition attempted over JSON-RPC is guarded exactly like one from the UI, and a
    client-supplied context cannot switch the guard off."""

    def test_rpc_write_is_guarded(self):
        new_test_user(
            self.env,
            login="gov_rpc",
            password="gov_rpc_pw1",
            groups="base.group_user,partner_scorecard.group_channel_manager,"
            "project.group_project_manager",
        )
        project = self.env["project.project"].create({"name": "RPC project"})
        project.implementation_phase = "build"
        self.assertTrue(project.gate_ids)
        self.authenticate("gov_rpc", "gov_rpc_pw1")
        params = {
            "model": "project.project",
            "method": "write",
            "args": [[project.id], {"implementation_phase": "live"}],
            "kwargs": {"context": {"governance_gate_bypass": True}},
        }
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request("/web/dataset/call_kw/project.project/write", params)
        self.assertIn("UserError", str(error.exception))
        self.env.invalidate_all()
        self.assertEqual(project.implementation_phase, "build")
        # a move that no gate guards goes through the same path
        params["args"] = [[project.id], {"name": "RPC project (renamed)"}]
        self.make_jsonrpc_request("/web/dataset/call_kw/project.project/write", params)
        self.env.invalidate_all()
        self.assertEqual(project.name, "RPC project (renamed)")
