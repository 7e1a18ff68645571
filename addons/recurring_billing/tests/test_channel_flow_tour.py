"""Seed 004's tier-3 distributor followed across the four modules, in one company of its own
(so that the demo's periods, rules and subscriptions do not count):

qualified deal (architecture gate passed) -> its implementation project (Create Implementation
Project: tier 3, architecture review and go-live gates passed) -> its tenant (Create Tenant:
dedicated on the tier-3 plan, SLA policy from the customer's criticality, go-live gates that read
its real restore test) -> the tenant's subscription, its hosting line priced from the
environment's plan, the tenant's MRR and customer health -> the partner's scorecard, whose
revenue metrics are measured from that subscription.

Everything is set up through the actions a user would press, on 2026-03-02 (frozen)."""

import os
import shutil
import uuid
from datetime import date, datetime

from psycopg2 import sql

from odoo import Command
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import config

from odoo.addons.white_label_tenant.tests.common import admin_sql

NOW = datetime(2026, 3, 2, 10, 0)
TODAY = NOW.date()
SUBSCRIPTION_START = date(2026, 1, 1)
PERIOD_END = date(2026, 3, 31)  # 2026-Q1, the scorecard period of TODAY
HOSTING_PRICE = 900.0  # the plan's monthly hosting price
SUPPORT_PRICE = 350.0
MRR = HOSTING_PRICE + SUPPORT_PRICE


class ChannelFlowCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Channel Flow Platform"})
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company.ids, tz="UTC")
        )
        cls.manager = new_test_user(
            cls.env,
            login="flow_channel_manager",
            password="flow_channel_manager_pw1",
            name="Morgan Flow",
            groups="base.group_user,partner_scorecard.group_channel_manager,"
            "project.group_project_manager,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="UTC",
        )
        cls.solution_lead = new_test_user(
            cls.env,
            login="flow_solution_lead",
            name="Sam Architect",
            groups="base.group_user,partner_scorecard.group_channel_user,project.group_project_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        Partner = cls.env["res.partner"]
        cls.partner = Partner.create(
            {"name": "Ridgeline Distribution Partners", "is_company": True}
        )
        cls.customer = Partner.create({"name": "Kestrel Industrial Supply", "is_company": True})
        with freeze_time(NOW):
            cls._setup_program()
            cls._setup_deal()
            cls._setup_project()
            cls._setup_tenant()
            cls._go_live()
            cls._setup_subscription()
            # the tenant's Refresh Health button: today's snapshot, its commercial part from billing
            cls.tenant.with_user(cls.manager).action_refresh_health()
            cls.scorecard = cls.env["partner.scorecard"]._recompute_memberships(
                cls.membership, ref_date=TODAY
            )

    # ------------------------------------------------------------------ scenario

    @classmethod
    def _setup_program(cls):
        """The partner's membership, scored by a template of recurring-revenue metrics."""
        ptype = cls.env["partner.type"].create({"name": "Distribution Integrator", "code": "flow"})
        cls.env["scorecard.template"].create(
            {
                "name": "Distribution integrators",
                "partner_type_id": ptype.id,
                "company_id": cls.company.id,
                "domain_weight_ids": [Command.create({"domain": "revenue", "weight": 100})],
                "line_ids": [
                    Command.create({"metric_id": cls.env.ref(xmlid).id, "weight": weight})
                    for xmlid, weight in (
                        ("partner_scorecard.metric_revenue_mrr", 40),
                        ("recurring_billing.metric_billing_arr_per_account", 30),
                        ("recurring_billing.metric_billing_hosting_attach", 30),
                    )
                ],
            }
        )
        cls.membership = cls.env["partner.membership"].create(
            {
                "partner_id": cls.partner.id,
                "partner_type_id": ptype.id,
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _setup_deal(cls):
        """45,000 SKUs in three warehouses with EDI: tier 3, whose proposal needs an architecture
        review (seed 004's "structured distribution deployment")."""
        cls.env["governance.complexity.rule"].create(
            {
                "name": "Structured distribution (flow)",
                "tier": "3",
                "company_id": cls.company.id,
                "domain": "[('qual_sku_count', '>=', 20000), ('qual_warehouse_count', '>=', 3)]",
            }
        )
        cls.stage_qualified, cls.stage_proposal = cls.env["crm.stage"].create(
            [
                {"name": "Qualified (flow)", "sequence": 40},
                {"name": "Proposal (flow)", "sequence": 50},
            ]
        )
        cls.env["governance.gate.template"].create(
            {
                "name": "Architecture gate before the proposal",
                "model_id": cls.env.ref("crm.model_crm_lead").id,
                "stage_res_id": cls.stage_proposal.id,
                "complexity_tier": "3",
                "criterion_ids": [
                    Command.create(
                        {
                            "name": "Qualification complete",
                            "check_type": "python",
                            "python_check": "qualification_complete",
                        }
                    ),
                    Command.create(
                        {"name": "Architecture template applied", "check_type": "checklist"}
                    ),
                ],
                "approval_rule_ids": [
                    Command.create(
                        {
                            "name": "Architecture board",
                            "approver_type": "user",
                            "user_id": cls.manager.id,
                        }
                    )
                ],
            }
        )
        cls.deal = cls.env["crm.lead"].create(
            {
                "name": "Kestrel ERP rollout",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "channel_partner_id": cls.partner.id,
                "stage_id": cls.stage_qualified.id,
                "company_id": cls.company.id,
                "qual_sku_count": 45000,
                "qual_warehouse_count": 3,
                "qual_valuation_method": "fifo",
                "qual_procurement_model": "mixed",
                "qual_edi": True,
                "qual_barcode": True,
                "qual_customer_pricing": True,
            }
        )
        deal = cls.deal.with_user(cls.manager)
        deal.action_gate_prepare()
        cls._pass_gate(deal.gate_current_id)
        deal.stage_id = cls.stage_proposal

    @classmethod
    def _setup_project(cls):
        """The deal's implementation project, created from the deal: it takes the deal's tier,
        whose architecture review opens Build."""
        cls.deal.with_user(cls.manager).action_create_implementation_project()
        cls.project = cls.deal.implementation_project_ids
        project = cls.project.with_user(cls.manager)
        project.write(
            {"solution_lead_id": cls.solution_lead.id, "planned_go_live_date": "2026-03-02"}
        )
        project.action_gate_prepare()
        cls._pass_gate(project.gate_current_id)
        project.implementation_phase = "build"

    @classmethod
    def _setup_tenant(cls):
        """The project's tenant, made by its Create Tenant button: tier 3 recommends a dedicated
        deployment on the plan recommended from tier 3, the customer's criticality picks the
        SLA policy. Then it is created for real on this server's PostgreSQL (from a template
        database of the test), backed up and restore-tested."""
        cls.prefix = f"flow_{uuid.uuid4().hex[:10]}"
        cls.template_db = f"{cls.prefix}_tpl"
        admin_sql(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cls.template_db)))
        cls.addClassCleanup(cls._drop_databases)
        admin_sql(
            "CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar);"
            "INSERT INTO res_partner (name) VALUES ('Kestrel Industrial Supply');",
            dbname=cls.template_db,
        )
        cls.hosting = cls.env["product.product"].create(
            {"name": "Managed hosting (flow)", "type": "service", "taxes_id": False}
        )
        cls.plan = cls.env["tenant.plan"].create(
            {
                "name": "Dedicated L",
                "hosting_product_id": cls.hosting.id,
                "code": "FLOW-L",
                "vcpu": 8,
                "ram_gb": 32,
                "storage_gb": 500,
                "recommended_tier": "3",
                "hosting_price": HOSTING_PRICE,
                "company_id": cls.company.id,
            }
        )
        cls.policy = cls.env["tenant.sla.policy"].create(
            {
                "name": "Gold Distribution",
                "criticality": "business_critical",
                "company_id": cls.company.id,
            }
        )
        version = cls.env["tenant.sla.policy.version"].create(
            {
                "policy_id": cls.policy.id,
                "effective_from": "2026-01-01 00:00:00",
                "calendar_id": cls.company.resource_calendar_id.id,
                "uptime_slo": 99.9,
                "rpo_minutes": 60,
                "rto_minutes": 120,
                "target_ids": [
                    Command.create({"priority": "1", "response_hours": 1, "resolution_hours": 4}),
                    Command.create({"priority": "2", "response_hours": 2, "resolution_hours": 8}),
                    Command.create({"priority": "3", "response_hours": 4, "resolution_hours": 16}),
                ],
            }
        )
        version.action_activate()
        cls.customer.tenant_criticality = "business_critical"
        cls.project.with_user(cls.manager).action_create_tenant()
        cls.tenant = cls.project.tenant_ids
        cls.production = cls.tenant.environment_ids
        # the manager names the database and the template it is copied from
        cls.production.with_user(cls.manager).write(
            {"database_name": f"{cls.prefix}_prod", "template_database": cls.template_db}
        )
        tenant = cls.tenant.with_user(cls.manager)
        tenant.user_id = cls.manager
        tenant.action_provision()
        production = cls.production.with_user(cls.manager)
        production.action_backup()
        production.action_restore_test()

    @classmethod
    def _go_live(cls):
        """The tenant goes live through its gate, then the project through its hosted go-live."""
        cls.tenant.with_user(cls.manager).action_go_live()
        project = cls.project.with_user(cls.manager)
        project.action_gate_prepare()
        cls._pass_gate(project.gate_current_id)
        project.implementation_phase = "live"

    @classmethod
    def _setup_subscription(cls):
        """The tenant's subscription: managed hosting priced by the production's plan, support."""
        cls.support = cls.env["product.product"].create(
            {"name": "Support Gold (flow)", "type": "service", "taxes_id": False}
        )
        cls.subscription = cls.env["billing.subscription"].create(
            {
                "partner_id": cls.partner.id,
                "end_customer_id": cls.customer.id,
                "tenant_id": cls.tenant.id,
                "company_id": cls.company.id,
                "currency_id": cls.company.currency_id.id,
                "date_start": SUBSCRIPTION_START,
                "line_ids": [
                    Command.create(
                        {"environment_id": cls.production.id, "date_start": SUBSCRIPTION_START}
                    ),
                    Command.create(
                        {
                            "product_id": cls.support.id,
                            "service_type": "support",
                            "price_unit": SUPPORT_PRICE,
                            "date_start": SUBSCRIPTION_START,
                        }
                    ),
                ],
            }
        )
        cls.subscription.with_user(cls.manager).action_activate()

    @classmethod
    def _pass_gate(cls, gate):
        """Tick the checklist with evidence and give every approval, as their reviewers."""
        gate = gate.with_user(cls.manager)
        for line in gate.line_ids.filtered(lambda line: line.check_type == "checklist"):
            line.evidence_note = "Signed off in the steering committee"
            line.action_tick()
        for approval in gate.approval_ids.sorted("sequence"):
            reviewer = cls.manager if cls.manager in approval.reviewer_ids else None
            approval.with_user(reviewer or approval.reviewer_ids[:1]).action_approve()

    @classmethod
    def _drop_databases(cls):
        for (name,) in admin_sql(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{cls.prefix}%",)
        ):
            admin_sql(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        # the owner role of a dedicated database, where the server let the suite create one
        for (role,) in admin_sql(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s "
            "AND shobj_description(oid, 'pg_authid') LIKE 'white_label_tenant:%%'",
            (f"{cls.prefix}%",),
        ):
            admin_sql(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        root = os.path.join(config["data_dir"], "tenant_backups", cls.env.cr.dbname)
        for name in os.listdir(root) if os.path.isdir(root) else ():
            if name.startswith(cls.prefix):
                shutil.rmtree(os.path.join(root, name), ignore_errors=True)

    def _metric_value(self, xmlid):
        line = self.scorecard.line_ids.filtered(lambda line: line.metric_id == self.env.ref(xmlid))
        self.assertTrue(line.has_value, f"{xmlid} is measured")
        return line.raw_value


@tagged("post_install", "-at_install")
class TestChannelFlow(ChannelFlowCase):
    @freeze_time(NOW)
    def test_the_figures_agree_across_the_modules(self):
        # the deal's tier reached the project, its gates passed on the way
        self.assertEqual(self.deal.complexity_tier, "3")
        self.assertEqual(self.deal.gate_state, "passed")
        self.assertEqual(self.deal.stage_id, self.stage_proposal)
        self.assertEqual(self.project.complexity_tier, "3")
        self.assertEqual(self.project.partner_id, self.customer)
        self.assertEqual(self.project.channel_partner_id, self.partner)
        self.assertEqual(self.project.implementation_phase, "live")
        self.assertEqual(self.project.actual_go_live_date, TODAY)
        self.assertEqual(self.project.tenant_ids, self.tenant)
        # the tenant made from the project: tier 3 deploys dedicated on the plan of tier 3, the
        # customer's criticality picked the SLA policy
        self.assertEqual(self.tenant.complexity_tier, "3")
        self.assertEqual(self.tenant.end_customer_id, self.customer)
        self.assertEqual(self.tenant.deployment_model, "dedicated")
        self.assertEqual(self.production.plan_id, self.plan)
        self.assertFalse(self.tenant.deployment_warning)
        self.assertEqual(self.tenant.criticality, "business_critical")
        self.assertEqual(self.tenant.sla_policy_id, self.policy)
        # the project's go-live read the tenant's restore test and policy, not a tick
        go_live = self.project.gate_ids.filtered(lambda g: g.stage_value == "live")
        self.assertEqual(
            go_live.template_id,
            self.env.ref("white_label_tenant.gate_template_project_go_live_hosted"),
        )
        self.assertEqual(go_live.state, "passed")
        restore = go_live.line_ids.filtered(lambda line: line.name == "Backup restore verified")
        self.assertEqual((restore.check_type, restore.outcome), ("python", "pass"))
        self.assertIn(self.production.display_name, restore.auto_evidence)
        self.assertEqual(self.tenant.state, "active")
        self.assertEqual(self.tenant.gate_state, "passed")
        self.assertEqual(self.production.restore_test_ids.state, "passed")
        # the hosting line is priced by the production's plan
        hosting = self.subscription.line_ids.filtered("environment_id")
        self.assertEqual(hosting.service_type, "hosting")
        self.assertEqual(hosting.price_unit, HOSTING_PRICE)
        # one MRR everywhere: the subscription, the ledger, the partner's scorecard
        self.assertEqual(self.subscription.state, "active")
        self.assertEqual(self.subscription.mrr, MRR)
        ledger = self.env["billing.mrr.movement"].search(
            [("partner_id", "=", self.partner.id), ("date", "<=", PERIOD_END)]
        )
        self.assertEqual(sum(ledger.mapped("amount")), MRR)
        self.assertEqual(self.tenant.subscription_count, 1)
        self.assertEqual(self.tenant.billing_subscription_ids, self.subscription)
        self.assertEqual(self.tenant.billing_mrr, MRR)
        health = self.tenant.health_snapshot_id
        self.assertEqual((health.date, health.mrr), (TODAY, MRR))
        # its commercial part from billing: an MRR flat over the 30 days scores 50
        self.assertTrue(health.commercial_measured)
        self.assertEqual(health.commercial_score, 50.0)
        self.assertEqual(self.scorecard.partner_id, self.partner)
        self.assertEqual(self._metric_value("partner_scorecard.metric_revenue_mrr"), MRR)
        self.assertEqual(
            self._metric_value("recurring_billing.metric_billing_arr_per_account"), MRR * 12
        )
        self.assertEqual(
            self._metric_value("recurring_billing.metric_billing_hosting_attach"), 100.0
        )
        # scored from floor 0 to target 20,000 (MRR) and 20,000 (ARR), 100 % attach:
        # 40 % x 6.25 + 30 % x 75 + 30 % x 100
        self.assertAlmostEqual(self.scorecard.overall_score, 55.0)

    @freeze_time(NOW)
    def test_suspending_the_tenant_stops_what_feeds_the_scorecard(self):
        """Suspended on 2026-03-16 (the first day not served): its subscription pauses, the ledger
        falls to zero MRR, the partner's MRR of 2026-Q1 is measured at 0 and its ARR per account
        is missing (no account brings MRR at the end of the period), never zero."""
        suspension = date(2026, 3, 16)
        self.tenant.with_user(self.manager).with_context(
            billing_change_date=suspension
        ).action_suspend()
        self.assertEqual(self.tenant.state, "suspended")
        self.assertEqual(self.subscription.state, "paused")
        self.assertEqual(self.subscription.pause_date, suspension)
        ledger = self.env["billing.mrr.movement"].search(
            [("partner_id", "=", self.partner.id), ("date", "<=", PERIOD_END)]
        )
        self.assertEqual(sum(ledger.mapped("amount")), 0.0)
        self.assertEqual(
            sum(ledger.filtered(lambda m: m.date == suspension).mapped("amount")), -MRR
        )
        card = self.env["partner.scorecard"]._recompute_memberships(self.membership, ref_date=TODAY)
        self.assertEqual(card, self.scorecard)
        # the partner's MRR is measured at 0; no account brings any: ARR per account is missing
        self.assertEqual(self._metric_value("partner_scorecard.metric_revenue_mrr"), 0.0)
        arr = card.line_ids.filtered(
            lambda line: line.metric_id
            == self.env.ref("recurring_billing.metric_billing_arr_per_account")
        )
        self.assertFalse(arr.has_value, "no account brings MRR on 2026-03-31: missing, not 0")


@tagged("post_install", "-at_install")
class TestChannelFlowTour(ChannelFlowCase):
    def test_channel_flow_tour(self):
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{self.deal.id}",
            "recurring_billing_channel_flow",
            login="flow_channel_manager",
        )
