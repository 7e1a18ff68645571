from odoo import api, models
from odoo.exceptions import ValidationError


class PaymentTransaction(models.Model):
    """A payment of invoices must match them: in their currency, more than zero and no more than
    what is left to pay. Checked on the values before anything is written (the portal's “Pay
    now” and the automatic charge of a saved token alike), so a refused payment leaves nothing
    behind."""

    _inherit = "payment.transaction"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_invoice_amount(vals)
        return super().create(vals_list)

    @api.model
    def _invoice_ids_of(self, commands):
        ids = []
        for command in commands or ():
            if command[0] == 6:
                ids = list(command[2])
            elif command[0] == 4:
                ids.append(command[1])
        return self.env["account.move"].sudo().browse(ids)

    @api.model
    def _check_invoice_amount(self, vals):
        invoices = self._invoice_ids_of(vals.get("invoice_ids"))
        if not invoices or vals.get("operation") == "refund":
            return
        currency = self.env["res.currency"].browse(vals.get("currency_id"))
        if invoices.currency_id != currency:
            raise ValidationError(
                self.env._(
                    "The payment's currency %(currency)s is not that of invoice(s) "
                    "%(invoices)s: pay in %(expected)s.",
                    currency=currency.name,
                    invoices=", ".join(invoices.mapped("name")),
                    expected=", ".join(invoices.currency_id.mapped("name")),
                )
            )
        amount = vals.get("amount") or 0.0
        due = sum(invoices.mapped("amount_residual"))
        if currency.compare_amounts(amount, 0) <= 0 or currency.compare_amounts(amount, due) > 0:
            raise ValidationError(
                self.env._(
                    "The payment's amount %(amount)s does not match invoice(s) %(invoices)s: "
                    "it must be more than zero and at most the %(due)s left to pay.",
                    amount=currency.format(amount),
                    invoices=", ".join(invoices.mapped("name")),
                    due=currency.format(due),
                )
            )
