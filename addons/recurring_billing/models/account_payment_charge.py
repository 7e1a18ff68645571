import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)


class BillingSubscription(models.Model):
    """Automatic charging: a subscription that names one of its partner's saved payment tokens
    has each invoice the run posts charged to it (an offline ``payment.transaction``). A charge
    that fails or is refused leaves the invoice open, and dunning takes it from there."""

    _inherit = "billing.subscription"

    billing_payment_token_id = fields.Many2one(
        "payment.token",
        string="Charge Automatically To",
        copy=False,
        tracking=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="A payment method the partner saved on the portal (“Save my payment details”): "
        "every invoice this subscription posts is charged to it. Empty: the partner pays from "
        "the portal.",
    )

    def _create_due_invoices(self, prepared, auto_post):
        result = super()._create_due_invoices(prepared, auto_post)
        # the token is a column of the subscriptions already read: no query when none is set
        charged = [(sub, moves) for sub, moves in result.items() if sub.billing_payment_token_id]
        for subscription, moves in charged:
            for invoice in moves.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            ):
                subscription._charge_invoice(invoice)
        return result

    def _charge_invoice(self, invoice):
        """Charge ``invoice``'s amount due to the subscription's token, in its own savepoint."""
        token = self.billing_payment_token_id
        try:
            with self.env.cr.savepoint():
                tx = (
                    self.env["payment.transaction"]
                    .sudo()
                    .create(
                        {
                            "provider_id": token.provider_id.id,
                            "payment_method_id": token.payment_method_id.id,
                            "reference": self.env["payment.transaction"]._compute_reference(
                                token.provider_id.code, prefix=invoice.name
                            ),
                            "amount": invoice.amount_residual,
                            "currency_id": invoice.currency_id.id,
                            "partner_id": invoice.partner_id.id,
                            "token_id": token.id,
                            "operation": "offline",
                            "invoice_ids": [fields.Command.set(invoice.ids)],
                        }
                    )
                )
                tx._send_payment_request()
                if tx.state == "done":
                    tx._post_process()
        except Exception as error:
            _logger.warning("automatic charge of %s failed: %s", invoice.name, error)
            invoice.message_post(
                body=self.env._(
                    "The automatic charge to %(token)s failed: %(error)s. The invoice stays open.",
                    token=token.display_name,
                    error=error,
                )
            )
            return
        if tx.state not in ("done", "pending", "authorized"):
            invoice.message_post(
                body=self.env._(
                    "The automatic charge to %(token)s was not accepted (%(state)s): the invoice "
                    "stays open.",
                    token=token.display_name,
                    state=tx.state,
                )
            )
