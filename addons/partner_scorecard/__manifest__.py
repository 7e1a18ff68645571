{
    "name": "Partner Scorecard",
    "version": "18.0.1.0.0",
    "category": "Sales/Partner Channel",
    "summary": "Partner program, capability tiers, balanced scorecards and quarterly reviews",
    "author": "Partner Channel Suite",
    "website": "https://github.com/partner-channel-suite/partner-channel",
    "license": "LGPL-3",
    "depends": ["crm", "portal", "mail"],
    "data": [
        "security/partner_scorecard_groups.xml",
        "security/ir.model.access.csv",
        "security/partner_scorecard_rules.xml",
        "views/partner_channel_menus.xml",
    ],
    "demo": [],
    "application": True,
    "installable": True,
}
