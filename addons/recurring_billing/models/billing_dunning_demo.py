from datetime import timedelta

from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _load_demo_dunning(self):
        """Dunning in the demo, relative to the install day: the latest invoice at least a week
        old of three channel partners is made due on its invoice date (as an immediate payment
        term would) and dunned today - Northwind's stays in dunning (reminder or second
        reminder, with its notices on the portal), Bluepeak's is disputed by its portal user
        (suspension would wait), Harbor's is dunned then paid (the dunning stops). The
        suspension and its resume need tenants with real databases: the tests and the browser
        tour show them."""
        company = self.env.ref("base.main_company")
        if not self.env["billing.dunning.policy"]._for_company(company):
            return
        today = fields.Date.context_today(self)
        ref = self.env.ref
        picked = {}
        for key, xmlid in (
            ("dunned", "partner_scorecard.partner_northwind"),
            ("disputed", "white_label_tenant.demo_partner_msp"),
            ("paid", "partner_scorecard.partner_harbor"),
        ):
            partner = ref(xmlid, raise_if_not_found=False)
            invoice = partner and self.search(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "=", "not_paid"),
                    ("billing_subscription_id", "!=", False),
                    ("partner_id", "=", partner.id),
                    ("invoice_date", "<=", today - timedelta(days=7)),
                ],
                order="invoice_date desc, id desc",
                limit=1,
            )
            if invoice:
                invoice.invoice_date_due = invoice.invoice_date
                picked[key] = invoice
        if not picked:
            return
        invoices = self.browse([invoice.id for invoice in picked.values()])
        self._run_dunning(today, invoices=invoices)
        disputed = picked.get("disputed")
        if disputed:
            user = self.env["res.users"].search(
                [("share", "=", True), ("partner_id", "child_of", disputed.partner_id.ids)],
                limit=1,
            )
            disputed._dunning_open_dispute(
                "The hosting line bills an environment we decommissioned last month.",
                user or self.env.user,
            )
        paid = picked.get("paid")
        if paid:
            wizard = (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=paid.ids)
                .create({"payment_date": today})
            )
            payments = wizard._create_payments()
            wizard.unlink()  # the form's job is done; it would keep the partner on uninstall
            # data of the module like the invoice it pays, removed before it on uninstall (a
            # payment left behind would keep the invoice, its subscription and partner)
            self.env["ir.model.data"]._register_demo_records("recurring_billing", payments)
