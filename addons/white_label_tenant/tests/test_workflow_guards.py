from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestWorkflowGuards(TenantCase):
    """The lifecycle fields of tenants, environments and promotions change only through their
    actions: a plain create/write is refused whatever the caller's group (sudo included)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Environment = cls.env["tenant.environment"]
        cls.production, cls.staging = Environment.create(
            [
                {
                    "tenant_id": cls.tenant_a.id,
                    "stage": stage,
                    "database_name": cls.unique_name(f"_{stage[:4]}"),
                    "plan_id": cls.plan.id,
                }
                for stage in ("production", "staging")
            ]
        )
        cls.production_b = Environment.create(
            {
                "tenant_id": cls.tenant_b.id,
                "database_name": cls.unique_name(),
                "plan_id": cls.plan.id,
            }
        )
        cls.promotion = cls.env["tenant.promotion"].create(
            {"source_environment_id": cls.staging.id, "target_environment_id": cls.production.id}
        )

    def _refused_writes(self):
        return [
            (self.tenant_a, {"state": "active"}),
            (self.tenant_a, {"activated_at": "2026-01-05 10:00:00"}),
            (self.tenant_a, {"error_message": False, "state_changed_by_id": self.manager.id}),
            (self.production, {"state": "active"}),
            (self.production, {"health_state": "up", "consecutive_failures": 0}),
            (self.production, {"database_created_at": "2026-01-05 10:00:00"}),
            (self.production, {"next_backup_at": "2030-01-01 00:00:00"}),
            (self.promotion, {"state": "promoted"}),
            (self.promotion, {"promoted_by_id": self.manager.id}),
            (self.promotion, {"target_environment_id": self.production_b.id}),
        ]

    def _snapshot(self):
        self.env.invalidate_all()
        return (
            self.tenant_a.read(["state", "activated_at", "state_changed_by_id"]),
            self.production.read(["state", "health_state", "database_created_at"]),
            self.promotion.read(["state", "promoted_by_id", "target_environment_id"]),
        )

    def test_plain_writes_are_refused_for_users_managers_and_sudo(self):
        before = self._snapshot()
        callers = {
            "Channel User": lambda r: r.with_user(self.channel_user),
            "Channel Manager": lambda r: r.with_user(self.manager),
            "sudo": lambda r: r.sudo(),
        }
        for who, as_caller in callers.items():
            for record, vals in self._refused_writes():
                with self.subTest(caller=who, model=record._name, vals=vals):
                    with self.assertRaises(AccessError) as caught, mute_logger("odoo.models"):
                        as_caller(record).write(vals)
                    if who != "Channel User" or record._name != "tenant.promotion":
                        # (a Channel User may not write promotions at all)
                        self.assertIn("directly", str(caught.exception))
        self.assertEqual(self._snapshot(), before)

    def test_the_refusal_names_the_field_and_the_action(self):
        with self.assertRaises(AccessError) as caught:
            self.tenant_a.with_user(self.manager).write({"state": "active"})
        message = str(caught.exception)
        self.assertIn("(state)", message)
        self.assertIn("Go Live", message)

    def test_create_with_a_lifecycle_value_is_refused(self):
        Environment = self.env["tenant.environment"]
        for user in (self.channel_user, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "directly"):
                    self.env["tenant.tenant"].with_user(user).create(
                        {"name": "Live at once", "partner_id": self.partner_a.id, "state": "active"}
                    )
                with self.assertRaisesRegex(AccessError, "directly"):
                    Environment.with_user(user).create(
                        {
                            "tenant_id": self.tenant_a.id,
                            "database_name": self.unique_name(),
                            "plan_id": self.plan.id,
                            "state": "active",
                            "database_created_at": "2026-01-05 10:00:00",
                        }
                    )
        with self.assertRaisesRegex(AccessError, "directly"):
            self.env["tenant.promotion"].with_user(self.manager).create(
                {
                    "source_environment_id": self.staging.id,
                    "target_environment_id": self.production.id,
                    "state": "promoted",
                }
            )

    def test_a_context_key_sent_by_a_client_is_no_bypass(self):
        # JSON-RPC lets a client set any JSON context value: none of them opens the guard
        for forged in (True, ["tenant.tenant"], "tenant.tenant", {"tenant.tenant": 1}):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self.tenant_a.with_user(self.manager).with_context(
                    channel_workflow_bypass=forged
                ).write({"state": "active"})
        self.assertEqual(self.tenant_a.state, "draft")

    def test_the_actions_still_move_the_lifecycle(self):
        # as a Channel Manager, through the action: the state and who moved it are recorded
        self.production.with_user(self.manager).action_decommission()
        self.assertEqual(self.production.state, "decommissioned")
        self.assertEqual(self.production.state_changed_by_id, self.manager)
        # a Channel User may not run the action at all
        with self.assertRaises(AccessError):
            self.staging.with_user(self.channel_user).action_decommission()
        self.assertEqual(self.staging.state, "draft")
        # ordinary fields stay writable
        self.tenant_a.with_user(self.channel_user).write({"name": "Renamed ERP"})
        self.assertEqual(self.tenant_a.name, "Renamed ERP")


@tagged("post_install", "-at_install")
class TestWorkflowGuardsOverRpc(TenantCase, HttpCase):
    """Over JSON-RPC, as a client would: a Channel Manager's plain write of a lifecycle field is
    refused, whatever context the client sends; the action itself goes through."""

    def _call(self, model, method, args, context=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": {"context": context or {}},
            },
        )

    def test_rpc_write_refused_action_accepted(self):
        environment = self.env["tenant.environment"].create(
            {
                "tenant_id": self.tenant_a.id,
                "database_name": self.unique_name(),
                "plan_id": self.plan.id,
            }
        )
        self.authenticate(self.manager.login, self.manager.login)
        forged = {"channel_workflow_bypass": ["tenant.tenant", "tenant.environment"]}
        for model, record, vals in (
            ("tenant.tenant", self.tenant_a, {"state": "active"}),
            ("tenant.environment", environment, {"state": "active", "health_state": "up"}),
        ):
            with self.subTest(model=model):
                with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
                    self._call(model, "write", [[record.id], vals], forged)
                self.assertIn("AccessError", str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual((self.tenant_a.state, environment.state), ("draft", "draft"))
        # the action, over the same path
        self._call("tenant.environment", "action_decommission", [[environment.id]])
        self.env.invalidate_all()
        self.assertEqual(environment.state, "decommissioned")
