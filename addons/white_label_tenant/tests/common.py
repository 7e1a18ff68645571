import os
import shutil
import uuid
from contextlib import closing

from psycopg2 import sql

from odoo.sql_db import close_db, db_connect
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import config


def admin_sql(query, params=None, dbname="postgres"):
    with closing(db_connect(dbname).cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(query, params)
        result = cr.fetchall() if cr.description else None
    close_db(dbname)
    return result


def database_exists(name):
    return bool(admin_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))


def database_deployment(name):
    """(owner, connection limit, sorted per-database parameters) of a database, as PostgreSQL
    has them: pg_database.datdba and datconnlimit, pg_db_role_setting."""
    rows = admin_sql(
        "SELECT pg_get_userbyid(d.datdba), d.datconnlimit, "
        "(SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setdatabase = d.oid "
        "AND s.setrole = 0) FROM pg_database d WHERE d.datname = %s",
        (name,),
    )
    owner, limit, config = rows[0]
    return owner, limit, sorted(config or [])


def dedicated_owner(name):
    """The owner a dedicated database gets: its own role where the server lets the pool role
    create roles (superuser or CREATEROLE), else the pool role itself."""
    pool, can_create = admin_sql(
        "SELECT current_user, rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
    )[0]
    return f"{name}_owner" if can_create else pool


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
        white_label = cls.env.ref("partner_scorecard.partner_type_white_label")
        cls.env["partner.membership"].create(
            [
                {"partner_id": partner.id, "partner_type_id": white_label.id}
                for partner in cls.partner_a | cls.partner_b
            ]
        )
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


class LocalDatabaseCase(TenantCase):
    """Tenant A with a production environment on a real template database of the test server.
    Every database is named wlt_<random>... and dropped after each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prefix = cls.unique_name()
        cls.template = f"{cls.prefix}_tpl"
        admin_sql(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cls.template)))
        cls.addClassCleanup(cls._drop_prefixed)
        # the columns of Odoo 18's tables that branding writes, and some business data
        admin_sql(
            "CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar);"
            "INSERT INTO res_partner (name) VALUES ('Template Co'), ('Second Co');"
            "CREATE TABLE res_company (id serial PRIMARY KEY, name varchar, email varchar, "
            "phone varchar, primary_color varchar, secondary_color varchar, "
            "partner_id integer REFERENCES res_partner, logo_web bytea, "
            "uses_default_logo boolean DEFAULT true);"
            "INSERT INTO res_company (name, partner_id) VALUES ('Template Co', 1), ('Second Co', 2);"
            "CREATE TABLE ir_attachment (id serial PRIMARY KEY, name varchar NOT NULL, "
            "res_model varchar, res_field varchar, res_id integer, type varchar NOT NULL, "
            "db_datas bytea, store_fname varchar, file_size integer, checksum varchar, "
            "mimetype varchar, create_date timestamp, write_date timestamp);"
            "INSERT INTO ir_attachment (name, res_model, res_field, res_id, type, store_fname) "
            "VALUES ('image_1920', 'res.partner', 'image_1920', 1, 'binary', 'ab/old-logo');"
            "CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar UNIQUE NOT NULL, "
            "value text NOT NULL);"
            "INSERT INTO ir_config_parameter (key, value) "
            "VALUES ('web.base.url', 'http://localhost:8069');"
            "CREATE TABLE sale_order (id serial PRIMARY KEY, amount numeric);"
            "INSERT INTO sale_order (amount) SELECT g FROM generate_series(1, 500) g;",
            dbname=cls.template,
        )
        cls.env["tenant.branding"].create(
            {
                "partner_id": cls.partner_a.id,
                "brand_name": "Alpha Cloud ERP",
                "support_email": "help@alpha.example.com",
                "primary_color": "#123456",
                "custom_domain": "erp.alpha.example.com",
            }
        )
        cls.production = cls.env["tenant.environment"].create(
            {
                "tenant_id": cls.tenant_a.id,
                "stage": "production",
                "database_name": f"{cls.prefix}_prod",
                "template_database": cls.template,
                "url": "https://erp.alpha.example.com",
                "plan_id": cls.plan.id,
                "region": "eu-central",
            }
        )

    def setUp(self):
        super().setUp()
        self.addCleanup(self._drop_prefixed, keep=self.template)

    @classmethod
    def _drop_prefixed(cls, keep=None):
        for (name,) in admin_sql(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{cls.prefix}%",)
        ):
            if name == keep:
                continue
            admin_sql(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        # the owner roles the suite made for dedicated test databases (marked, prefixed)
        for (role,) in admin_sql(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s "
            "AND shobj_description(oid, 'pg_authid') LIKE 'white_label_tenant:%%'",
            (f"{cls.prefix}%",),
        ):
            admin_sql(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        root = os.path.join(config["data_dir"], "tenant_backups", cls.env.cr.dbname)
        for name in os.listdir(root) if os.path.isdir(root) else ():
            if name.startswith(cls.prefix):
                shutil.rmtree(os.path.join(root, name), ignore_errors=True)

    def _company(self, dbname):
        return admin_sql(
            "SELECT name, email, primary_color FROM res_company ORDER BY id", dbname=dbname
        )

    def _param(self, dbname, key):
        rows = admin_sql("SELECT value FROM ir_config_parameter WHERE key = %s", (key,), dbname)
        return rows[0][0] if rows else None
