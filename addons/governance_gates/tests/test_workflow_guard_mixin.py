from odoo_test_helper import FakeModelLoader

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWorkflowGuardMixin(TransactionCase):
    """channel.workflow.guard on a model of its own, also adopting the gate mixin: workflow
    fields only through the actions; the gates' own moves (Go, Recycle, Kill) are actions too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import GovernanceTestDocument

        cls.loader.update_registry((GovernanceTestDocument,))
        cls.Document = cls.env["governance.test.document"]
        cls.user = new_test_user(
            cls.env,
            login="guard_user",
            groups="base.group_user,partner_scorecard.group_channel_user",
        )
        cls.env["ir.model.access"].create(
            {
                "name": "test document",
                "model_id": cls.env["ir.model"]._get_id("governance.test.document"),
                "group_id": cls.env.ref("base.group_user").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
            }
        )
        cls.template = cls.env["governance.gate.template"].create(
            {
                "name": "Approval of a test document",
                "model_id": cls.env["ir.model"]._get_id("governance.test.document"),
                "stage_key": "approved",
                "criterion_ids": [(0, 0, {"name": "Reviewed", "kind": "must"})],
            }
        )

    @classmethod
    def tearDownClass(cls):
        # restore_registry puts the model classes back but (Odoo 15+) sets nothing up again: the
        # registry's field maps (field_computed, triggers, depends) would still hold the fields of
        # the fake registry, and every later test would fail on them (KeyError in field_computed)
        cls.loader.restore_registry()
        cls.registry.setup_models(cls.cr)
        super().tearDownClass()

    def test_workflow_fields_only_through_the_actions(self):
        document = self.Document.with_user(self.user).create({"name": "D1", "reference": "R1"})
        with self.assertRaisesRegex(AccessError, r"\(state\).*Submit"):
            document.write({"state": "submitted"})
        with self.assertRaisesRegex(AccessError, r"\(state\)"):
            self.Document.with_user(self.user).create({"name": "D2", "state": "approved"})
        # frozen: accepted on create, refused afterwards
        with self.assertRaisesRegex(AccessError, r"\(reference\)"):
            document.write({"reference": "R2"})
        document.write({"name": "D1 (renamed)"})
        document.action_submit()
        self.assertEqual(document.state, "submitted")
        # the bypass of one model covers that model only
        gate = document.gate_ids
        with self.assertRaises(AccessError):
            document._workflow_bypass_env().env["governance.gate"].browse(gate.id).write(
                {"pass_mark": 0}
            )

    def test_the_group_check_raises_access_error(self):
        outsider = new_test_user(self.env, login="guard_outsider", groups="base.group_user")
        document = self.Document.with_user(outsider).create({"name": "D3"})
        with self.assertRaisesRegex(AccessError, "Channel User"):
            document.action_submit()
        self.assertEqual(document.state, "draft")

    def test_gate_go_moves_a_guarded_record(self):
        document = self.Document.create({"name": "D4"})
        gate = document.gate_ids
        self.assertEqual(gate.stage_value, "approved")
        gate.line_ids.with_user(self.user).action_tick()
        gate.with_user(self.user).action_go()
        self.assertEqual(document.state, "approved")
        self.assertEqual(gate.state, "passed")
        self.assertEqual(document.gate_state, "passed")

    def test_import_by_a_user_is_guarded_data_files_are_trusted(self):
        result = self.Document.with_user(self.user).load(
            ["name", "state"], [["Imported", "approved"]]
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any("(state)" in m["message"] for m in result["messages"]))
        # XML data files load as superuser through _load_records
        document = self.Document.sudo()._load_records(
            [{"xml_id": "__test__.guard_doc", "values": {"name": "Data", "state": "submitted"}}]
        )
        self.assertEqual(document.state, "submitted")
