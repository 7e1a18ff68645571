from odoo import fields, models

STUCK_AFTER = 2  # runs in a row failing with the same reason


class BillingSubscription(models.Model):
    """Billing failures of a subscription: recorded, retried, and shown when they repeat.

    A failed subscription is never left out of billing for good: every run of a later date tries
    it again. When it fails twice in a row with the same reason it is *stuck*: the billing
    managers get an activity with the reason, the dashboard counts it and the *Billing Stuck*
    filter lists it. The first run that bills it (or finds nothing due) clears all of it.
    """

    _inherit = "billing.subscription"

    billing_error = fields.Text(
        copy=False,
        help="Why the last invoicing run failed on this subscription. The next run on a later "
        "date tries again; a billing manager can retry at once.",
    )
    billing_error_date = fields.Datetime(copy=False)
    billing_failed_on = fields.Date(
        copy=False,
        index="btree_not_null",
        help="Reference date of the run that last failed: runs of that date leave the "
        "subscription alone (the cron would loop on it), runs of a later date try again.",
    )
    billing_failure_count = fields.Integer(
        copy=False, help="Runs in a row that failed with the same reason."
    )
    billing_stuck = fields.Boolean(
        string="Billing Stuck",
        copy=False,
        index=True,
        help="The last runs failed with the same reason: a billing manager has an activity to "
        "fix it.",
    )

    def _record_billing_failure(self, message, reference_date):
        """Write the failure; the second one in a row with the same reason flags it as stuck."""
        self.ensure_one()
        count = self.billing_failure_count + 1 if self.billing_error == message else 1
        stuck = count >= STUCK_AFTER
        self._workflow_write(
            {
                "billing_error": message,
                "billing_error_date": fields.Datetime.now(),
                "billing_failed_on": reference_date,
                "billing_failure_count": count,
                "billing_stuck": stuck,
            }
        )
        if stuck and not self._stuck_activities():
            self.activity_schedule(
                "recurring_billing.mail_activity_type_billing_stuck",
                summary=self.env._("Billing failed %(count)s times: fix it", count=count),
                note=self.env._(
                    "Subscription %(name)s failed to invoice %(count)s runs in a row with the "
                    "same reason: %(reason)s. Fix the cause, then press Invoice Now.",
                    name=self.name,
                    count=count,
                    reason=message,
                ),
                user_id=self._billing_manager_user().id,
            )

    def _clear_billing_failure(self):
        stuck = self.filtered("billing_stuck")
        self._workflow_write(
            {
                "billing_error": False,
                "billing_error_date": False,
                "billing_failed_on": False,
                "billing_failure_count": 0,
                "billing_stuck": False,
            }
        )
        if stuck:
            stuck._stuck_activities().action_feedback(
                feedback=self.env._("Billed again: the cause was fixed.")
            )

    def _stuck_activities(self):
        activity_type = self.env.ref("recurring_billing.mail_activity_type_billing_stuck")
        return self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def _billing_manager_user(self):
        """Who fixes billing: the current user when a billing manager (not the cron's
        superuser), else the company's first billing manager, else the current user."""
        self.ensure_one()
        user = self.env.user
        if not user._is_superuser() and user.has_group("recurring_billing.group_billing_manager"):
            return user
        managers = self.env.ref("recurring_billing.group_billing_manager").sudo().users
        managers = managers.filtered(
            lambda u: u.active
            and not u.share
            and not u._is_superuser()
            and self.company_id in u.company_ids
        ).sorted("id")
        return managers[:1] or user
