{
    "name": "Recurring Billing",
    "version": "18.0.1.0.0",
    "category": "Sales/Partner Channel",
    "summary": "Subscriptions in revenue layers, invoicing that never bills twice, and an MRR ledger",
    "author": "Partner Channel Suite",
    "website": "https://github.com/partner-channel-suite/partner-channel",
    "license": "LGPL-3",
    "depends": ["white_label_tenant", "account"],
    "data": [
        "security/ir.model.access.csv",
        "views/recurring_billing_menus.xml",
    ],
    "demo": [],
    "installable": True,
}
