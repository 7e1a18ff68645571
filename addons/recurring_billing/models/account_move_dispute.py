from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError

from .account_move_dunning import PAID_STATES


class AccountMove(models.Model):
    """Disputes and closing for non-payment, beside dunning (``account_move_dunning.py``, which
    declares the guarded fields): a partner disputes an unpaid invoice from the portal with a
    reason, which holds its suspension until a Billing Manager clears it; a Billing Manager may
    close the subscription of an unpaid invoice for non-payment."""

    _inherit = "account.move"

    def _dunning_open_dispute(self, reason, user=None):
        """``user`` (the partner, from the portal) disputes the invoice: suspension waits until
        a manager clears it. Called after the portal's access check."""
        self.ensure_one()
        user = user or self.env.user
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why you dispute invoice %s in “Dispute Reason”.", self.name)
            )
        if self.state != "posted" or self.payment_state in PAID_STATES:
            raise UserError(
                self.env._("Only an unpaid posted invoice can be disputed (%s).", self.name)
            )
        if self.billing_dispute:
            raise UserError(self.env._("Invoice %s is already disputed.", self.name))
        self.sudo()._workflow_write(
            {
                "billing_dispute": True,
                "billing_dispute_reason": reason,
                "billing_dispute_by_id": user.id,
                "billing_dispute_at": fields.Datetime.now(),
                "billing_dispute_cleared_by_id": False,
                "billing_dispute_cleared_at": False,
            }
        )
        self.sudo().message_post(
            body=Markup("%s<br/>%s") % (self.env._("Disputed by %s:", user.name), escape(reason)),
            author_id=user.partner_id.id,
        )

    def action_clear_dispute(self):
        """A Billing Manager closes the dispute: dunning may suspend again."""
        self._check_dunning_manager(self.env._("clear an invoice dispute"))
        for invoice in self:
            if not invoice.billing_dispute:
                raise UserError(self.env._("Invoice %s has no open dispute.", invoice.name))
            invoice._workflow_write(
                {
                    "billing_dispute": False,
                    "billing_dispute_cleared_by_id": self.env.user.id,
                    "billing_dispute_cleared_at": fields.Datetime.now(),
                }
            )
            invoice.message_post(
                body=self.env._("Dispute cleared by %s.", self.env.user.name),
                partner_ids=invoice.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_close_subscription_non_payment(self):
        """Close the invoice's subscription for non-payment today: its churn in the MRR ledger
        carries the reason “Non-payment”."""
        self._check_dunning_manager(self.env._("close a subscription for non-payment"))
        for invoice in self:
            subscription = invoice.billing_subscription_id
            if not subscription or subscription.state not in ("active", "paused"):
                raise UserError(
                    self.env._(
                        "Invoice %s bills no active or paused subscription to close.",
                        invoice.name,
                    )
                )
            if invoice.payment_state in PAID_STATES:
                raise UserError(self.env._("Invoice %s is paid.", invoice.name))
            subscription.sudo().action_close(
                reason="non_payment",
                note=self.env._("Invoice %s unpaid.", invoice.name),
            )
        return True
