from . import controllers, models, wizards


def uninstall_hook(env):
    """Metrics this module measures go back to Manual before its providers disappear, those of
    the modules below it included (see partner_scorecard's readme/USAGE.md)."""
    Provider = env["partner.scorecard.provider"]
    Provider._release_providers(
        [code for code in Provider._get_providers() if code.startswith(("billing_",))]
    )
    # Payments this module's demo registered as its data: a posted payment cannot be deleted as
    # it stands (Odoo wants it back in draft first), and would keep the invoice it pays, that
    # invoice's subscription and partner. Put back to draft (which unreconciles), then removed.
    data = env["ir.model.data"].search(
        [("module", "=", "recurring_billing"), ("model", "=", "account.payment")]
    )
    payments = env["account.payment"].browse(data.mapped("res_id")).exists()
    payments.action_draft()
    payments.unlink()
