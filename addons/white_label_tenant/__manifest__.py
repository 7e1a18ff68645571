{
    "name": "White-Label Tenants",
    "version": "18.0.1.0.0",
    "category": "Sales/Partner Channel",
    "summary": "Partner-branded tenant environments with provisioning, health, backups, incidents and SLAs",
    "author": "Partner Channel Suite",
    "website": "https://github.com/partner-channel-suite/partner-channel",
    "license": "LGPL-3",
    "depends": ["governance_gates", "resource"],
    "data": [
        "security/ir.model.access.csv",
        "views/white_label_tenant_menus.xml",
    ],
    "demo": [],
    "installable": True,
}
