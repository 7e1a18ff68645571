from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models


class BillingSubscription(models.Model):
    _inherit = "billing.subscription"

    @api.model
    def _load_demo_history(self):
        """Twelve months of history relative to today, on the channel partners of the earlier
        modules' demo (Northwind Implementation Partners, Harbor Analytics Consulting, Bluepeak
        Managed Services, whose portal users see them): the seeds' manufacturing client packaged
        into a recurring service stack, a hosting partner's white-label bundle, upgrades, a
        downgrade, a churn and a reactivation, on top of two customers served since eighteen
        months ago (the base the last twelve months' churn and retention are measured on);
        invoices for the past periods when the company has a chart of accounts."""
        ref = self.env.ref
        start = fields.Date.start_of(fields.Date.context_today(self), "month") - relativedelta(
            months=12
        )

        def month(n):
            return start + relativedelta(months=n)

        def line(product, service, price, resale=0.0, quantity=1.0):
            return Command.create(
                {
                    "product_id": ref(f"recurring_billing.{product}").id,
                    "service_type": service,
                    "price_unit": price,
                    "resale_price": resale,
                    "quantity": quantity,
                }
            )

        tenants = self._demo_tenants(start)
        env_of = {key: tenant.environment_ids[:1] for key, tenant in tenants.items()}
        harbor_prod = ref("white_label_tenant.demo_env_harbor_prod")
        harbor_staging = ref("white_label_tenant.demo_env_harbor_staging")
        lumen_prod = ref("white_label_tenant.demo_env_lumen_prod")
        costa_prod = ref("white_label_tenant.demo_env_costa_prod")
        costa_staging = ref("white_label_tenant.demo_env_costa_staging")
        today = fields.Date.context_today(self)

        def hosting(product, price, environment, resale=0.0, quantity=1.0):
            command = line(product, "hosting", price, resale, quantity)
            command[2]["environment_id"] = environment.id
            return command

        established = self.create(
            [
                {
                    "partner_id": ref("partner_scorecard.partner_harbor").id,
                    "end_customer_id": ref("recurring_billing.customer_logistics").id,
                    "tenant_id": tenants["logistics"].id,
                    "date_start": month(-6),
                    "line_ids": [
                        hosting("product_hosting_m", 900.0, env_of["logistics"], 1300.0),
                        line("product_support_gold", "support", 600.0, 950.0),
                    ],
                },
                {
                    "partner_id": ref("white_label_tenant.demo_partner_msp").id,
                    "end_customer_id": ref("recurring_billing.customer_retail").id,
                    "tenant_id": tenants["retail"].id,
                    "date_start": month(-6),
                    "line_ids": [
                        hosting("product_hosting_m", 450.0, env_of["retail"]),
                        line("product_support_gold", "support", 300.0),
                    ],
                },
            ]
        )
        for subscription in established:
            subscription.action_activate()
        manufacturing = self.create(
            {
                "partner_id": ref("partner_scorecard.partner_northwind").id,
                "end_customer_id": ref("recurring_billing.customer_manufacturing").id,
                "tenant_id": tenants["manufacturing"].id,
                "date_start": month(0),
                "line_ids": [
                    line("product_implementation", "implementation", 12000.0, 18000.0),
                    hosting("product_hosting_m", 450.0, env_of["manufacturing"], 690.0),
                    line("product_support_gold", "support", 300.0, 520.0),
                ],
            }
        )
        manufacturing.action_activate()
        bundle = self.create(
            {
                "partner_id": ref("white_label_tenant.demo_partner_msp").id,
                # the hosting partner's dedicated customer: production and staging of its tenant
                "end_customer_id": ref("white_label_tenant.demo_customer_wholesale").id,
                "tenant_id": ref("white_label_tenant.demo_tenant_harbor").id,
                "date_start": month(1),
                "periodicity": "quarterly",
                "line_ids": [
                    hosting("product_hosting_m", 1350.0, harbor_prod),
                    hosting("product_hosting_staging", 360.0, harbor_staging),
                    line("product_support_gold", "support", 900.0),
                ],
            }
        )
        bundle.action_activate()
        dairy = self.create(
            {
                "partner_id": ref("white_label_tenant.demo_partner_msp").id,
                "end_customer_id": ref("recurring_billing.customer_food").id,
                "tenant_id": tenants["food"].id,
                "date_start": month(2),
                "line_ids": [
                    hosting("product_hosting_m", 450.0, env_of["food"]),
                    line("product_support_gold", "support", 300.0),
                ],
            }
        )
        dairy.action_activate()
        # upgrades: the manufacturing stack grows with enhancement and optimisation services
        manufacturing.line_ids.filtered(lambda x: x.service_type == "hosting").action_change(
            month(4), quantity=2.0
        )
        self.env["billing.subscription.line"].create(
            [
                {
                    "subscription_id": manufacturing.id,
                    "product_id": ref("recurring_billing.product_enhancement_retainer").id,
                    "service_type": "enhancement",
                    "price_unit": 900.0,
                    "resale_price": 1400.0,
                    "date_start": month(5),
                },
                {
                    "subscription_id": manufacturing.id,
                    "product_id": ref("recurring_billing.product_optimisation_review").id,
                    "service_type": "optimisation",
                    "price_unit": 250.0,
                    "date_start": month(5),
                },
            ]
        )
        manufacturing._sync_mrr_ledger(month(5))
        # a downgrade, then the dairy leaves and comes back
        bundle.line_ids.filtered(lambda x: x.service_type == "support").action_change(
            month(7), price_unit=600.0
        )
        dairy.action_close(month(6), reason="churned")
        comeback = self.create(
            {
                "partner_id": ref("white_label_tenant.demo_partner_msp").id,
                "end_customer_id": ref("recurring_billing.customer_food").id,
                "tenant_id": tenants["food"].id,
                "date_start": month(9),
                "line_ids": [hosting("product_hosting_m", 450.0, env_of["food"])],
            }
        )
        comeback.action_activate()
        # the OEM vendor's embedded offer for its dealer network
        oem = self.create(
            {
                "partner_id": ref("partner_scorecard.partner_quanta").id,
                "end_customer_id": ref("recurring_billing.customer_oem_dealer").id,
                "tenant_id": tenants["oem"].id,
                "date_start": month(3),
                "line_ids": [
                    hosting("product_hosting_m", 180.0, env_of["oem"], 320.0),
                    line("product_support_gold", "support", 150.0, 260.0),
                ],
            }
        )
        oem.action_activate()
        # the white-label operators' own tenants, billed since they went live
        operators = self.create(
            [
                {
                    "partner_id": ref("white_label_tenant.demo_partner_agency").id,
                    "end_customer_id": ref("white_label_tenant.demo_customer_dtc").id,
                    "tenant_id": ref("white_label_tenant.demo_tenant_lumen").id,
                    "date_start": today - relativedelta(days=70),
                    "line_ids": [
                        hosting("product_hosting_m", 180.0, lumen_prod, 290.0),
                        line("product_support_gold", "support", 150.0, 240.0),
                    ],
                },
                {
                    "partner_id": ref("white_label_tenant.demo_partner_reseller").id,
                    "end_customer_id": ref("white_label_tenant.demo_customer_retail").id,
                    "tenant_id": ref("white_label_tenant.demo_tenant_costa").id,
                    "date_start": today - relativedelta(days=39),
                    "line_ids": [
                        hosting("product_hosting_m", 450.0, costa_prod, 640.0),
                        hosting("product_hosting_staging", 120.0, costa_staging, 180.0),
                        line("product_support_gold", "support", 300.0, 450.0),
                    ],
                },
            ]
        )
        for subscription in operators:
            subscription.action_activate()
        if self.env["account.journal"].search_count(
            [("type", "=", "sale"), ("company_id", "=", self.env.company.id)], limit=1
        ):
            self.env["billing.run"]._run(fields.Date.context_today(self))
        # the demo's subscriptions and invoices are the module's data: its uninstall deletes them
        subscriptions = (
            established | manufacturing | bundle | dairy | comeback | oem | operators
        ).sorted("id")
        invoices = self.env["account.move"].search(
            [("billing_subscription_id", "in", subscriptions.ids)], order="id"
        )
        self.env["ir.model.data"]._register_demo_records(
            "recurring_billing", subscriptions, invoices
        )
        self._demo_project_threads()
        # the scorecards of the open quarter read the billing now in place (MRR, retention)
        scorecards = self.env["partner.scorecard"]
        scorecards._recompute_memberships(
            self.env["partner.membership"].search([("company_id", "=", self.env.company.id)])
        )
        return True
