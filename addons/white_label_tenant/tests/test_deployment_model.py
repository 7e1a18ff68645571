from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import (
    LocalDatabaseCase,
    admin_sql,
    database_deployment,
    database_exists,
    dedicated_owner,
)


@tagged("post_install", "-at_install")
class TestDeploymentModel(LocalDatabaseCase):
    """Deal -> implementation project -> tenant -> provisioned database, through the buttons:
    the complexity tier recommends the deployment model and plan, and the deployment model
    changes what PostgreSQL gives the database (read back from the catalogues)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.ref("base.user_admin").write(
            {"groups_id": [(4, env.ref("partner_scorecard.group_channel_manager").id)]}
        )
        cls.manager.write(
            {
                "groups_id": [
                    (4, env.ref("project.group_project_manager").id),
                    (4, env.ref("sales_team.group_sale_salesman_all_leads").id),
                ]
            }
        )
        Rule = env["governance.complexity.rule"]
        Rule.search([]).active = False  # the tests own their rules and plans
        Rule.create(
            [
                {
                    "name": "multi-warehouse",
                    "tier": "2",
                    "domain": "[('qual_warehouse_count', '>=', 2)]",
                },
                {"name": "EDI", "tier": "3", "domain": "[('qual_edi', '=', True)]"},
            ]
        )
        env["tenant.plan"].search([]).active = False
        Plan = env["tenant.plan"]
        cls.plan_s = Plan.create(
            {
                "name": "Shared S",
                "code": "WLT-S",
                "vcpu": 2,
                "ram_gb": 4,
                "storage_gb": 40,
                "recommended_tier": "1",
            }
        )
        cls.plan_l = Plan.create(
            {
                "name": "Dedicated L",
                "code": "WLT-L",
                "vcpu": 8,
                "ram_gb": 32,
                "storage_gb": 400,
                "recommended_tier": "3",
                "db_connection_limit": 7,
                "db_statement_timeout": 90,
                "db_work_mem_mb": 24,
            }
        )
        env["ir.config_parameter"].set_param("white_label_tenant.shared_connection_limit", "6")
        cls.customer = env["res.partner"].create({"name": "Northwind Supply", "is_company": True})
        cls.pool = admin_sql("SELECT current_user")[0][0]

    def _tenant_from_deal(self, name, **qualification):
        """The user's path: the deal's button, then the project's."""
        deal = self.env["crm.lead"].create(
            {
                "name": f"{self.prefix} {name}",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "channel_partner_id": self.partner_a.id,
                "qual_sku_count": 45000,
                "qual_warehouse_count": 1,
                **qualification,
            }
        )
        action = deal.with_user(self.manager).action_create_implementation_project()
        project = self.env["project.project"].browse(action["res_id"])
        action = project.with_user(self.manager).action_create_tenant()
        self.assertEqual(action["res_model"], "tenant.tenant")
        tenant = self.env["tenant.tenant"].browse(action["res_id"])
        self.assertEqual(tenant.project_id, project)
        # the test server's template database (a manager's field)
        tenant.environment_ids.with_user(self.manager).template_database = self.template
        return tenant.with_user(self.manager)

    def test_tier_3_deal_becomes_a_dedicated_database(self):
        tenant = self._tenant_from_deal("Distributor", qual_edi=True)
        self.assertEqual(tenant.complexity_tier, "3")
        self.assertEqual(tenant.partner_id, self.partner_a)
        self.assertEqual(tenant.end_customer_id, self.customer)
        self.assertEqual(tenant.recommended_deployment_model, "dedicated")
        self.assertEqual(tenant.deployment_model, "dedicated")
        self.assertEqual(tenant.recommended_plan_id, self.plan_l)
        production = tenant.environment_ids
        self.assertEqual((production.stage, production.plan_id), ("production", self.plan_l))
        self.assertFalse(tenant.deployment_warning)
        # asked again, the project's button opens the same tenant
        again = tenant.project_id.with_user(self.manager).action_create_tenant()
        self.assertEqual(again["res_id"], tenant.id)

        tenant.action_provision()
        self.assertEqual(production.state, "active", production.error_message)
        name = production.database_name
        self.assertEqual(
            database_deployment(name),
            (dedicated_owner(name), 7, ["statement_timeout=90s", "work_mem=24MB"]),
        )
        if dedicated_owner(name) != self.pool:
            marker = admin_sql(
                "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = %s",
                (f"{name}_owner",),
            )
            self.assertEqual(marker, [(tenant._get_backend()._marker(production),)])
        else:
            self.assertIn("CREATEROLE", production.message_ids[:1].body)

        # the plan's new limits, and another plan, reach the running database at once
        self.plan_l.with_user(self.manager).db_connection_limit = 9
        self.assertEqual(database_deployment(name)[1], 9)
        production.with_user(self.manager).plan_id = self.plan_s
        self.assertEqual(database_deployment(name)[1], self.plan_s.db_connection_limit)
        self.assertIn("production runs on Shared S", tenant.deployment_warning)
        production.with_user(self.manager).plan_id = self.plan_l
        self.assertEqual(database_deployment(name)[1], 9)

        # go live, suspend, resume, decommission: the database keeps its deployment
        tenant.sla_policy_id = self.policy
        production.action_backup()
        production.action_restore_test()
        tenant.action_go_live()
        tenant.action_suspend()
        self.assertEqual(
            admin_sql("SELECT datallowconn FROM pg_database WHERE datname = %s", (name,)),
            [(False,)],
        )
        self.assertEqual(
            database_deployment(name)[1:], (9, ["statement_timeout=90s", "work_mem=24MB"])
        )
        tenant.action_resume()
        tenant.action_decommission()
        self.assertEqual(tenant.state, "decommissioned")
        self.assertFalse(database_exists(name))
        self.assertFalse(
            admin_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{name}_owner",)),
            "the suite's role goes with its database",
        )

    def test_tier_1_deal_shares_the_platform_and_can_be_overridden(self):
        tenant = self._tenant_from_deal("Wholesaler")
        self.assertEqual(tenant.complexity_tier, "1")
        self.assertEqual(tenant.deployment_model, "multi_tenant")
        self.assertEqual(tenant.environment_ids.plan_id, self.plan_s)
        tenant.action_provision()
        production = tenant.environment_ids
        name = production.database_name
        self.assertEqual(database_deployment(name), (self.pool, 6, []))

        # it changes a running database: a Channel Manager's operation
        with self.assertRaises(AccessError):
            tenant.with_user(self.channel_user).deployment_model = "dedicated"
        self.assertEqual(database_deployment(name), (self.pool, 6, []))
        # the user overrides the recommendation: warned, tracked, and the database follows
        tenant.deployment_model = "dedicated"
        self.assertIn("where tier 1 recommends Multi-Tenant SaaS", tenant.deployment_warning)
        self.assertTrue(
            tenant.message_ids.filtered(lambda m: "Deployment overridden by" in (m.body or ""))
        )
        self.assertEqual(
            database_deployment(name),
            (dedicated_owner(name), 20, ["statement_timeout=300s", "work_mem=16MB"]),
        )
        # and back: the pool role, the shared limit, the server's defaults; the role is gone
        tenant.deployment_model = "multi_tenant"
        self.assertFalse(tenant.deployment_warning)
        self.assertEqual(database_deployment(name), (self.pool, 6, []))
        self.assertFalse(admin_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{name}_owner",)))
        tenant.action_decommission()
        self.assertFalse(database_exists(name))

    def test_refusals(self):
        project = self.env["project.project"].create(
            {"name": f"{self.prefix} bare", "channel_partner_id": self.partner_a.id}
        )
        with self.assertRaisesRegex(UserError, "no complexity tier"):
            project.with_user(self.manager).action_create_tenant()
        project.complexity_tier = "2"
        with self.assertRaises(AccessError):
            project.with_user(self.channel_user).action_create_tenant()
        project.channel_partner_id = False
        with self.assertRaisesRegex(UserError, "Implementation Partner"):
            project.with_user(self.manager).action_create_tenant()
        self.assertFalse(project.tenant_ids)
        # a foreign role under the owner role's name is refused, and nothing is left behind
        if dedicated_owner("x") == self.pool:
            return
        tenant = self._tenant_from_deal("Foreign", qual_edi=True)
        name = tenant.environment_ids.database_name
        admin_sql(f'CREATE ROLE "{name}_owner" NOLOGIN')
        self.addCleanup(admin_sql, f'DROP ROLE IF EXISTS "{name}_owner"')
        tenant.action_provision()
        self.assertEqual(tenant.state, "error")
        self.assertIn("not created by the suite", tenant.error_message)
        self.assertFalse(database_exists(name))
        self.assertTrue(admin_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{name}_owner",)))
