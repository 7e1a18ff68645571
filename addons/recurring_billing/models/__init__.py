from . import (
    account_move,
    billing_invoice_period,
    billing_mrr_movement,
    billing_reconciliation,
    billing_run,
    billing_run_line,
    billing_subscription,
    billing_subscription_demo,
    billing_subscription_line,
    partner_scorecard_provider,
    res_company,
    res_config_settings,
)
