{
    "name": "Recurring Billing",
    "version": "18.0.1.0.0",
    "category": "Sales/Partner Channel",
    "summary": "Subscriptions in revenue layers, invoicing that never bills twice, and an MRR ledger",
    "author": "Partner Channel Suite",
    "license": "LGPL-3",
    "depends": ["white_label_tenant", "account"],
    "data": [
        "security/recurring_billing_security.xml",
        "security/ir.model.access.csv",
        "data/recurring_billing_data.xml",
        "data/scorecard_metric_data.xml",
        "views/billing_subscription_views.xml",
        "views/billing_subscription_line_views.xml",
        "views/billing_mrr_movement_views.xml",
        "views/billing_run_views.xml",
        "views/billing_reconciliation_views.xml",
        "views/tenant_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/recurring_billing_menus.xml",
        "wizards/billing_line_change_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "recurring_billing/static/src/dashboard/**/*",
        ],
        "web.assets_tests": [
            "recurring_billing/static/tests/tours/**/*",
        ],
    },
    "demo": ["demo/recurring_billing_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "recurring_billing/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
