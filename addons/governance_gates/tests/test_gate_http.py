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

    def test_rpc_plain_write_of_workflow_fields_is_refused(self):
        """Issue 11: over JSON-RPC, a Channel User's plain write of ``waived`` on a criterion or
        of ``pass_mark`` on a gate is refused, whatever context the client sends."""
        new_test_user(
            self.env,
            login="gov_rpc_user",
            password="gov_rpc_user1",
            groups="base.group_user,partner_scorecard.group_channel_user,"
            "project.group_project_user",
        )
        project = self.env["project.project"].create(
            {"name": "RPC guarded project", "implementation_phase": "build"}
        )
        gate = project.gate_ids
        line = gate.line_ids.filtered(lambda line: line.name == "Backup restore verified")
        self.authenticate("gov_rpc_user", "gov_rpc_user1")
        for model, record, vals in (
            ("governance.gate.line", line, {"waived": True, "waiver_reason": "trust me"}),
            ("governance.gate", gate, {"pass_mark": 0}),
        ):
            params = {
                "model": model,
                "method": "write",
                "args": [record.ids, vals],
                "kwargs": {"context": {"channel_workflow_bypass": [model]}},
            }
            with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as error:
                self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/write", params)
            self.assertIn("AccessError", str(error.exception))
        self.env.invalidate_all()
        self.assertFalse(line.waived)
        self.assertEqual(gate.pass_mark, gate.template_id.pass_mark)
        # the evidence is the user's to write, over the same path
        params = {
            "model": "governance.gate.line",
            "method": "write",
            "args": [line.ids, {"evidence_note": "Restore test report attached"}],
            "kwargs": {},
        }
        self.make_jsonrpc_request("/web/dataset/call_kw/governance.gate.line/write", params)
        self.env.invalidate_all()
        self.assertEqual(line.evidence_note, "Restore test report attached")
