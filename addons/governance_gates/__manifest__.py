{
    "name": "Governance Gates",
    "version": "18.0.1.0.0",
    "category": "Sales/Partner Channel",
    "summary": "Stage gates with criteria, approvals and waivers for deals, projects and partners",
    "author": "Partner Channel Suite",
    "license": "LGPL-3",
    "depends": ["partner_scorecard", "project"],
    "data": [
        "security/ir.model.access.csv",
        "security/governance_gates_rules.xml",
        "data/governance_gates_data.xml",
        "data/governance_gate_template_data.xml",
        "data/governance_gate_template_lifecycle_data.xml",
        "data/scorecard_metric_data.xml",
        "data/scorecard_template_data.xml",
        "data/governance_complexity_rule_data.xml",
        "views/governance_gate_views.xml",
        "views/governance_gate_template_views.xml",
        "views/crm_lead_views.xml",
        "views/project_project_views.xml",
        "views/portal_templates.xml",
        "views/governance_gates_menus.xml",
    ],
    "demo": [
        "demo/governance_gates_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "governance_gates/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
