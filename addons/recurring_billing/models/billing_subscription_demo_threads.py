from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models


class BillingSubscription(models.Model):
    """Demo data only: the tenants the demo's subscriptions bill, and seed 004's project threads
    (deal, implementation project, tenant, subscription layers)."""

    _inherit = "billing.subscription"

    @api.model
    def _demo_tenants(self, start):
        """The tenants the hosting lines bill, each owned by the subscription's partner, with a
        production environment on the partner's domain and a month of operations."""
        ref = self.env.ref
        gold = ref("white_label_tenant.demo_sla_gold")
        silver = ref("white_label_tenant.demo_sla_silver")
        responsible = ref("white_label_tenant.demo_user_service_delivery")
        specs = {
            # key: (customer, partner, tenant name, model, policy, plan, host, region, live since)
            "logistics": (
                "recurring_billing.customer_logistics",
                "partner_scorecard.partner_harbor",
                "Meadowlark Freight ERP",
                "dedicated",
                gold,
                "white_label_tenant.demo_plan_m",
                "meadowlark.cloud.harbor-analytics.example.com",
                "eu-west",
                start - relativedelta(months=6, days=10),
            ),
            "retail": (
                "recurring_billing.customer_retail",
                "white_label_tenant.demo_partner_msp",
                "Cedar Retail ERP",
                "dedicated",
                gold,
                "white_label_tenant.demo_plan_m",
                "cedar.erp.bluepeak.example.com",
                "us-east",
                start - relativedelta(months=6, days=12),
            ),
            "manufacturing": (
                "recurring_billing.customer_manufacturing",
                "partner_scorecard.partner_northwind",
                "Precision Parts ERP",
                "dedicated",
                gold,
                "white_label_tenant.demo_plan_m",
                "precision.cloud.northwind.example.com",
                "us-east",
                start - relativedelta(days=8),
            ),
            # the OEM vendor embeds the platform for its dealer network, on multi-tenant
            "oem": (
                "recurring_billing.customer_oem_dealer",
                "partner_scorecard.partner_quanta",
                "Northgate Dealer Network ERP",
                "multi_tenant",
                silver,
                "white_label_tenant.demo_plan_s",
                "northgate.erp.quanta-software.example.com",
                "eu-central",
                start + relativedelta(months=3, days=-6),
            ),
            "food": (
                "recurring_billing.customer_food",
                "white_label_tenant.demo_partner_msp",
                "Alpine Dairy ERP",
                "multi_tenant",
                silver,
                "white_label_tenant.demo_plan_s",
                "alpine-dairy.erp.bluepeak.example.com",
                "eu-central",
                start + relativedelta(months=2, days=-5),
            ),
        }
        Tenant = self.env["tenant.tenant"]
        tenants = {}
        for key, (
            customer,
            partner,
            name,
            model,
            policy,
            plan,
            host,
            region,
            live,
        ) in specs.items():
            live_at = fields.Datetime.to_datetime(live) + relativedelta(hours=10)
            tenant = Tenant._workflow_create(
                [
                    {
                        "name": name,
                        "partner_id": ref(partner).id,
                        "end_customer_id": ref(customer).id,
                        "deployment_model": model,
                        "criticality": policy.criticality,
                        "sla_policy_id": policy.id,
                        "user_id": responsible.id,
                        "state": "active",
                        "provisioning_requested_at": live_at - relativedelta(days=9),
                        "activated_at": live_at,
                    }
                ]
            )
            self.env["tenant.environment"]._workflow_create(
                [
                    {
                        "tenant_id": tenant.id,
                        "stage": "production",
                        "database_name": f"demo-{key}-prod",
                        "url": f"https://{host}",
                        "region": region,
                        "plan_id": ref(plan).id,
                        "state": "active",
                    }
                ]
            )
            tenants[key] = tenant
        records = Tenant.concat(*tenants.values())
        self.env["tenant.demo"]._generate_operations(records.environment_ids.ids)
        self.env["ir.model.data"]._register_demo_records(
            "recurring_billing", records, records.environment_ids
        )
        return tenants

    @api.model
    def _demo_project_threads(self):
        """Seed 004's two deals of Northwind, delivered: the tier-3 industrial distributor (its
        architecture gate on the deal) gets a dedicated tenant, production and staging, linked
        to its implementation project, and the subscription layers planned from the go-live
        (implementation, hosting of each environment, support, enhancement, monitoring); the
        tier-1 wholesaler runs on a multi-tenant environment linked to its rollout project."""
        ref = self.env.ref
        northwind = ref("partner_scorecard.partner_northwind")
        responsible = ref("white_label_tenant.demo_user_service_delivery")
        today = fields.Date.context_today(self)
        customers = self.env["res.partner"].create(
            [
                {"name": "Great Plains Industrial Supply", "is_company": True},
                {"name": "Cascade Hardware Wholesale", "is_company": True},
            ]
        )
        gold = ref("white_label_tenant.demo_sla_gold")
        silver = ref("white_label_tenant.demo_sla_silver")
        threads = [
            (
                "governance_gates.project_tier3_distributor",
                customers[0],
                "Great Plains Industrial ERP",
                "dedicated",
                gold,
                [
                    ("production", "white_label_tenant.demo_plan_l", "greatplains"),
                    ("staging", "white_label_tenant.demo_plan_m", "greatplains-staging"),
                ],
            ),
            (
                "governance_gates.project_tier1_wholesaler",
                customers[1],
                "Cascade Hardware ERP",
                "multi_tenant",
                silver,
                [("production", "white_label_tenant.demo_plan_s", "cascade")],
            ),
        ]
        tenants = self.env["tenant.tenant"]
        for project_ref, customer, name, model, policy, stages in threads:
            project = ref(project_ref)
            tenant = self.env["tenant.tenant"].create(
                {
                    "name": name,
                    "partner_id": northwind.id,
                    "end_customer_id": customer.id,
                    "deployment_model": model,
                    "criticality": policy.criticality,
                    "sla_policy_id": policy.id,
                    "user_id": responsible.id,
                    "project_id": project.id,
                }
            )
            self.env["tenant.environment"].create(
                [
                    {
                        "tenant_id": tenant.id,
                        "stage": stage,
                        "database_name": f"demo-{host}",
                        "url": f"https://{host}.cloud.northwind.example.com",
                        "region": "us-east",
                        "plan_id": ref(plan).id,
                    }
                    for stage, plan, host in stages
                ]
            )
            tenants |= tenant
        distributor = tenants[0]
        go_live = ref("governance_gates.project_tier3_distributor").planned_go_live_date or (
            today + relativedelta(months=4)
        )
        production, staging = distributor.environment_ids.sorted(lambda e: e.stage != "production")

        def line(product, service, price, resale=0.0, environment=None):
            vals = {
                "product_id": ref(f"recurring_billing.{product}").id,
                "service_type": service,
                "price_unit": price,
                "resale_price": resale,
            }
            if environment:
                vals["environment_id"] = environment.id
            return Command.create(vals)

        layers = self.create(
            {
                "partner_id": northwind.id,
                "end_customer_id": customers[0].id,
                "tenant_id": distributor.id,
                "date_start": go_live,
                "line_ids": [
                    line("product_implementation", "implementation", 48000.0, 72000.0),
                    line("product_hosting_m", "hosting", 1350.0, 1900.0, production),
                    line("product_hosting_staging", "hosting", 360.0, 520.0, staging),
                    line("product_support_gold", "support", 900.0, 1400.0),
                    line("product_enhancement_retainer", "enhancement", 900.0, 1400.0),
                    line("product_optimisation_review", "monitoring", 250.0, 400.0),
                ],
            }
        )
        self.env["ir.model.data"]._register_demo_records(
            "recurring_billing", customers, tenants, tenants.environment_ids, layers
        )
        return layers
