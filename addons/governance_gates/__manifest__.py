{
    "name": "Governance Gates",
    "version": "18.0.1.0.0",
    "category": "Sales/Partner Channel",
    "summary": "Stage gates with criteria, approvals and waivers for deals, projects and partners",
    "author": "Partner Channel Suite",
    "website": "https://github.com/partner-channel-suite/partner-channel",
    "license": "LGPL-3",
    "depends": ["partner_scorecard", "project"],
    "data": [
        "security/ir.model.access.csv",
        "views/governance_gates_menus.xml",
    ],
    "demo": [],
    "installable": True,
}
