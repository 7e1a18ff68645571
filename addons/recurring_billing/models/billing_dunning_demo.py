from datetime import timedelta

from odoo import api, fields, models

# how many days past the suspension level the suspended demo invoices are at least overdue
SUSPENDED_FOR = 5


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _load_demo_dunning(self):
        """Dunning in the demo, relative to the install day, run by the engine itself: an unpaid
        invoice of four channel partners is made due on its invoice date (as an immediate payment
        term would) and dunned.

        - Northwind's (at least a week old) is dunned today and stays in dunning (reminder or
          second reminder, with its notices on the portal).
        - Bluepeak's (at least a week old) is dunned today, then disputed by its portal user:
          suspension would wait.
        - Fjordline's and Harbor's (old enough to have passed the suspension level) are dunned
          on each level's day, as the daily run would have, up to the suspension of the tenant
          they bill. The demo environments have no databases, so the suspension changes their
          state only and their chatter says that nothing was stopped. Harbor's tenant stays
          suspended; Fjordline's invoice is paid today, which resumes Lumen.

        Loaded once: a module update loads the demo again and finds the dunning in place."""
        company = self.env.ref("base.main_company")
        policy = self.env["billing.dunning.policy"]._for_company(company)
        if not policy.level_ids or self.search_count(
            [("company_id", "=", company.id), ("billing_dunning_level_id", "!=", False)], limit=1
        ):
            return
        today = fields.Date.context_today(self)
        levels = policy.level_ids.sorted("days")
        suspension = levels.filtered("suspend")[:1]
        stories = [
            ("dunned", "partner_scorecard.partner_northwind", 7),
            ("disputed", "white_label_tenant.demo_partner_msp", 7),
        ]
        if suspension:
            suspended_age = suspension.days + SUSPENDED_FOR
            stories += [
                # Harbor's tenant is on no public status page; Fjordline's Lumen is the one its
                # brand's status page shows, so Lumen is the tenant that runs again
                ("suspended", "partner_scorecard.partner_harbor", suspended_age),
                ("resumed", "white_label_tenant.demo_partner_agency", suspended_age),
            ]
        picked = {}
        for key, xmlid, days in stories:
            partner = self.env.ref(xmlid, raise_if_not_found=False)
            invoice = partner and self._demo_dunning_invoice(company, partner, today, days)
            if invoice:
                invoice.invoice_date_due = invoice.invoice_date
                picked[key] = invoice
        now = [picked[key] for key in ("dunned", "disputed") if key in picked]
        if now:
            self._run_dunning(today, invoices=self.browse([invoice.id for invoice in now]))
        for key in ("suspended", "resumed"):
            invoice = picked.get(key)
            if not invoice:
                continue
            for level in levels:
                day = invoice.invoice_date_due + timedelta(days=level.days)
                if day <= today:
                    self._run_dunning(day, invoices=invoice)
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
        resumed = picked.get("resumed")
        if resumed:
            self._demo_pay(resumed, today)

    @api.model
    def _demo_dunning_invoice(self, company, partner, today, days):
        """The partner's latest unpaid wholesale invoice at least ``days`` days old."""
        return self.search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
                ("billing_subscription_id", "!=", False),
                ("partner_id", "=", partner.id),
                ("invoice_date", "<=", today - timedelta(days=days)),
            ],
            order="invoice_date desc, id desc",
            limit=1,
        )

    @api.model
    def _demo_pay(self, invoice, today):
        """Pay ``invoice`` in full today, as the accountant registering the partner's transfer."""
        last = self.search([], order="id desc", limit=1).id or 0
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": today})
        )
        payments = wizard._create_payments()
        wizard.unlink()  # the form's job is done; it would keep the partner on uninstall
        # data of the module like the invoice it pays, removed before it on uninstall (a payment
        # left behind would keep the invoice, its subscription and partner), and so are the
        # moves the resume's billing run made (the credit of the suspended days)
        made = self.search(
            [
                ("id", ">", last),
                ("billing_subscription_id", "=", invoice.billing_subscription_id.id),
            ],
            order="id",
        )
        self.env["ir.model.data"]._register_demo_records("recurring_billing", made, payments)
