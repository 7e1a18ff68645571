# A tiny module the upgrade campaign tests install into a real Odoo database and upgrade with
# odoo-bin -u: the test copies it, installs 18.0.1.0.0, then bumps the copy to 18.0.1.0.1, whose
# migration fails on a database that carries the table wlt_fixture_fail_upgrade.
{
    "name": "White-Label Tenant Upgrade Fixture",
    "version": "18.0.1.0.0",
    "summary": "Test fixture of white_label_tenant's upgrade campaigns (never installed for real)",
    "author": "Partner Channel Suite",
    "license": "LGPL-3",
    "website": "https://github.com/partner-channel/partner-channel-suite",
    "depends": ["base"],
    "data": [],
    "installable": True,
}
