from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestInvoicingBatch(BillingCommon):
    """The run bills its subscriptions in batches: one ``account.move.create`` per chunk, and a
    failure inside a batch is isolated to the subscription that caused it."""

    def test_a_batch_costs_what_odoo_batched_create_costs(self):
        """Billing 3 or 9 subscriptions takes a fixed number of queries more than a batched
        ``account.move.create`` and post of the same invoices, not a few more per subscription."""
        overheads = []
        # the first round only warms Odoo's caches (precisions, parameters, subtypes)
        for count in (1, 3, 9):
            subscriptions = self.env["billing.subscription"].browse(
                [self._subscription().id for _i in range(count)]
            )
            reference = date(2026, 2, 1) if count == 9 else date(2026, 1, 1)
            # the floor: Odoo's own batched create and post of the same invoices
            vals = [
                item["move"]
                for subscription in subscriptions
                for item in subscription._prepare_due_invoices(reference)
            ]
            self.env.flush_all()
            self.cr.execute("SAVEPOINT floor")
            bare, _moves = self._count_queries(
                lambda vals=vals: self.env["account.move"]
                .with_context(tracking_disable=True)
                .create(vals)
                .action_post()
            )
            self.cr.execute("ROLLBACK TO SAVEPOINT floor")
            self.env.invalidate_all()
            ours, run = self._count_queries(
                lambda ids=subscriptions.ids, reference=reference: self.env["billing.run"]._run(
                    reference, subscription_ids=ids
                )
            )
            self.assertEqual(run.billed_count, count, run.line_ids.mapped("message"))
            self.assertEqual(len(run.line_ids.move_ids), len(vals))
            overheads.append(ours - bare)
        self.assertEqual(
            overheads[1],
            overheads[2],
            f"the engine's own queries must not grow with the batch (3 vs 9): {overheads}",
        )

    def test_no_analytic_model_no_search_per_line(self):
        """Without any analytic distribution model, a batch asks once whether one exists instead
        of searching the models for every partner and product (Odoo would find none)."""
        self.env["account.analytic.distribution.model"].search([]).unlink()
        partners = self.env["res.partner"].create(
            [{"name": f"Reseller {index}"} for index in range(4)]
        )
        subscriptions = self.env["billing.subscription"].browse(
            [self._subscription(partner=partner).id for partner in partners]
        )
        searches = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            if "account_analytic_distribution_model" in str(getattr(query, "code", query)):
                searches.append(query)
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            run = self.env["billing.run"]._run(date(2026, 1, 1), subscription_ids=subscriptions.ids)
        self.assertEqual(run.billed_count, 4, run.line_ids.mapped("message"))
        self.assertEqual(len(searches), 1, "one existence check for the whole batch")
        self.assertFalse(
            any(run.line_ids.move_ids.invoice_line_ids.mapped("analytic_distribution"))
        )

    def test_a_failure_inside_a_batch_is_isolated(self):
        """A period billed meanwhile by another worker fails the batch's savepoint; the chunk is
        billed again one subscription at a time and only that subscription is skipped."""
        first, stale, last = (self._subscription() for _i in range(3))
        self.env["billing.run"]._run(date(2026, 1, 1), subscription_ids=stale.ids)
        # the stale worker's snapshot: it has not seen the January invoice
        self.env.cr.execute(
            "UPDATE billing_subscription_line SET last_date_invoiced = NULL "
            "WHERE subscription_id = %s",
            [stale.id],
        )
        self.env.invalidate_all()
        with mute_logger("odoo.sql_db"):
            run = self.env["billing.run"]._run(
                date(2026, 1, 1), subscription_ids=(first | stale | last).ids
            )
        results = {line.subscription_id: line.result for line in run.line_ids}
        self.assertEqual(results, {first: "billed", stale: "skipped", last: "billed"})
        self.assertIn(
            "Already billed", run.line_ids.filtered(lambda line: line.result == "skipped").message
        )
        self.assertEqual(len(stale.invoice_ids), 1, "January billed once")
        self.assertEqual(len(first.invoice_ids), 1)
        self.assertEqual(len(last.invoice_ids), 1)
        self.assertEqual(first.invoice_ids.state, "posted")

    def test_invoice_values_are_those_odoo_computes(self):
        """The engine resolves accounts, taxes, fiscal position, payment terms and analytic
        distribution once per batch; the invoice must be the one Odoo itself would compute."""
        partner = self.channel_partner
        partner.write(
            {
                "property_account_position_id": self.fiscal_pos_a.id,
                "property_payment_term_id": self.pay_terms_b.id,
            }
        )
        plan = self.env["account.analytic.plan"].create({"name": "Channel operations"})
        analytic = self.env["account.analytic.account"].create(
            {"name": "Hosting operations", "plan_id": plan.id}
        )
        self.env["account.analytic.distribution.model"].create(
            {"partner_id": partner.id, "analytic_distribution": {str(analytic.id): 100}}
        )
        subscription = self.env["billing.subscription"].create(
            {
                "partner_id": partner.id,
                "date_start": date(2026, 1, 1),
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "service_type": "hosting",
                            "price_unit": 400,
                        }
                    ),
                    Command.create(
                        {
                            "product_id": self.support.id,
                            "service_type": "support",
                            "price_unit": 150,
                        }
                    ),
                ],
            }
        )
        subscription.action_activate()
        ours = (
            self.env["billing.run"]
            ._run(date(2026, 1, 1), subscription_ids=subscription.ids)
            .line_ids.move_ids
        )
        self.assertEqual(len(ours), 1)
        odoo_computed = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": ours.invoice_date,
                "journal_id": ours.journal_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                        }
                    )
                    for line in ours.invoice_line_ids
                ],
            }
        )
        for field in ("fiscal_position_id", "invoice_payment_term_id", "partner_shipping_id"):
            self.assertEqual(ours[field], odoo_computed[field], field)
        self.assertEqual(ours.fiscal_position_id, self.fiscal_pos_a)
        for line, expected in zip(
            ours.invoice_line_ids, odoo_computed.invoice_line_ids, strict=True
        ):
            for field in ("account_id", "tax_ids", "product_uom_id", "analytic_distribution"):
                self.assertEqual(line[field], expected[field], f"{line.name}: {field}")
        hosting = ours.invoice_line_ids.filtered(lambda line: line.product_id == self.product_a)
        self.assertEqual(hosting.tax_ids, self.tax_sale_b, "tax mapped by the fiscal position")
        self.assertEqual(hosting.account_id, self.product_b.property_account_income_id)
        self.assertEqual(hosting.analytic_distribution, {str(analytic.id): 100})
        self.assertEqual(ours.amount_total, odoo_computed.amount_total)
        self.assertEqual(ours.invoice_date_due, odoo_computed.invoice_date_due)
