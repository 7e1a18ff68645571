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

        established = self.create(
            [
                {
                    "partner_id": ref("partner_scorecard.partner_harbor").id,
                    "end_customer_id": ref("recurring_billing.customer_logistics").id,
                    "date_start": month(-6),
                    "line_ids": [
                        line("product_hosting_m", "hosting", 900.0, 1300.0, quantity=1.0),
                        line("product_support_gold", "support", 600.0, 950.0),
                    ],
                },
                {
                    "partner_id": ref("white_label_tenant.demo_partner_msp").id,
                    "end_customer_id": ref("recurring_billing.customer_retail").id,
                    "date_start": month(-6),
                    "line_ids": [
                        line("product_hosting_m", "hosting", 450.0),
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
                "date_start": month(0),
                "line_ids": [
                    line("product_implementation", "implementation", 12000.0, 18000.0),
                    line("product_hosting_m", "hosting", 450.0, 690.0),
                    line("product_support_gold", "support", 300.0, 520.0),
                ],
            }
        )
        manufacturing.action_activate()
        bundle = self.create(
            {
                "partner_id": ref("white_label_tenant.demo_partner_msp").id,
                "end_customer_id": ref("recurring_billing.customer_distribution").id,
                "date_start": month(1),
                "periodicity": "quarterly",
                "line_ids": [
                    line("product_hosting_m", "hosting", 1350.0),
                    line("product_hosting_staging", "hosting", 360.0),
                    line("product_support_gold", "support", 900.0),
                ],
            }
        )
        bundle.action_activate()
        dairy = self.create(
            {
                "partner_id": ref("white_label_tenant.demo_partner_msp").id,
                "end_customer_id": ref("recurring_billing.customer_food").id,
                "date_start": month(2),
                "line_ids": [
                    line("product_hosting_m", "hosting", 450.0),
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
                "date_start": month(9),
                "line_ids": [line("product_hosting_m", "hosting", 450.0)],
            }
        )
        comeback.action_activate()
        if self.env["account.journal"].search_count(
            [("type", "=", "sale"), ("company_id", "=", self.env.company.id)], limit=1
        ):
            self.env["billing.run"]._run(fields.Date.context_today(self))
        # the demo's subscriptions and invoices are the module's data: its uninstall deletes them
        subscriptions = (established | manufacturing | bundle | dairy | comeback).sorted("id")
        invoices = self.env["account.move"].search(
            [("billing_subscription_id", "in", subscriptions.ids)], order="id"
        )
        self.env["ir.model.data"]._register_demo_records(
            "recurring_billing", subscriptions, invoices
        )
        return True
