import uuid
from contextlib import closing

from odoo.sql_db import close_db, db_connect
from odoo.tests import TransactionCase, new_test_user


def admin_sql(query, params=None, dbname="postgres"):
    with closing(db_connect(dbname).cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(query, params)
        result = cr.fetchall() if cr.description else None
    close_db(dbname)
    return result


def database_exists(name):
    return bool(admin_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))


class TenantCase(TransactionCase):
    """Two channel partners with portal users, a plan, a business-hours SLA policy, a tenant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="wlt_manager",
            groups="partner_scorecard.group_channel_manager",
            email="manager@example.com",
        )
        cls.channel_user = new_test_user(
            cls.env, login="wlt_user", groups="partner_scorecard.group_channel_user"
        )
        Partner = cls.env["res.partner"]
        cls.partner_a = Partner.create({"name": "Alpha Cloud", "is_company": True})
        cls.partner_b = Partner.create({"name": "Beta Hosting", "is_company": True})
        cls.customer_a = Partner.create({"name": "Secret Retail Ltd", "is_company": True})
        cls.contact_a = Partner.create({"name": "Ann Alpha", "parent_id": cls.partner_a.id})
        cls.contact_b = Partner.create({"name": "Bob Beta", "parent_id": cls.partner_b.id})
        cls.portal_a = new_test_user(
            cls.env, login="wlt_portal_a", groups="base.group_portal", partner_id=cls.contact_a.id
        )
        cls.portal_b = new_test_user(
            cls.env, login="wlt_portal_b", groups="base.group_portal", partner_id=cls.contact_b.id
        )
        cls.plan = cls.env["tenant.plan"].create(
            {"name": "Standard", "code": "WLT-STD", "vcpu": 2, "ram_gb": 4, "storage_gb": 50}
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Brussels office",
                "tz": "Europe/Brussels",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"{d} {p}",
                            "dayofweek": str(d),
                            "hour_from": f,
                            "hour_to": t,
                            "day_period": p,
                        },
                    )
                    for d in range(5)
                    for f, t, p in ((9, 12, "morning"), (13, 17, "afternoon"))
                ],
            }
        )
        cls.policy = cls.env["tenant.sla.policy"].create({"name": "Gold"})
        cls.version = cls.env["tenant.sla.policy.version"].create(
            {
                "policy_id": cls.policy.id,
                "effective_from": "2026-01-01 00:00:00",
                "calendar_id": cls.calendar.id,
                "warning_thresholds": "50,75",
                "uptime_slo": 99.9,
                "rpo_minutes": 60,
                "rto_minutes": 30,
                "target_ids": [
                    (0, 0, {"priority": "1", "response_hours": 1, "resolution_hours": 4}),
                    (0, 0, {"priority": "2", "response_hours": 2, "resolution_hours": 8}),
                    (0, 0, {"priority": "3", "response_hours": 4, "resolution_hours": 16}),
                ],
            }
        )
        cls.version.action_activate()
        cls.tenant_a = cls.env["tenant.tenant"].create(
            {
                "name": "Secret Retail ERP",
                "partner_id": cls.partner_a.id,
                "end_customer_id": cls.customer_a.id,
                "deployment_model": "dedicated",
                "sla_policy_id": cls.policy.id,
                "user_id": cls.manager.id,
            }
        )
        cls.tenant_b = cls.env["tenant.tenant"].create(
            {
                "name": "Beta Shop ERP",
                "partner_id": cls.partner_b.id,
                "sla_policy_id": cls.policy.id,
            }
        )

    @classmethod
    def unique_name(cls, suffix=""):
        return f"wlt_{uuid.uuid4().hex[:10]}{suffix}"
