"""Adoption read from a tenant's own PostgreSQL database (the local backend's ``read_adoption``).

Read-only: one connection in a read-only session, three catalogue-guarded queries. A database
without Odoo's tables (a bare PostgreSQL database, a restore in progress) gives ``None`` for
what it cannot tell, never 0: "no data" is not "nobody uses it".

- active users: internal, active users (``res_users``: ``active``, not ``share``) who logged in
  since ``since``: ``res_users_log`` rows (Odoo writes one per login and per hour of activity),
  or ``res_users.login_date`` where a version stores it as a column;
- installed applications: ``ir_module_module`` rows with ``application`` and state installed.
"""

from datetime import datetime

import psycopg2
from psycopg2 import sql

from odoo.sql_db import connection_info_for

ADOPTION_TABLES = ("res_users", "res_users_log", "ir_module_module")


def _columns(cr):
    cr.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = ANY(%s)",
        (list(ADOPTION_TABLES),),
    )
    tables = {}
    for table, column in cr.fetchall():
        tables.setdefault(table, set()).add(column)
    return tables


def _active_users(cr, tables, since):
    users = tables.get("res_users", set())
    conditions = [sql.SQL("TRUE")]
    if "active" in users:
        conditions.append(sql.SQL("u.active"))
    if "share" in users:
        conditions.append(sql.SQL("u.share IS NOT TRUE"))
    where_users = sql.SQL(" AND ").join(conditions)
    if {"create_uid", "create_date"} <= tables.get("res_users_log", set()) and "id" in users:
        cr.execute(
            sql.SQL(
                "SELECT count(DISTINCT l.create_uid) FROM res_users_log l "
                "JOIN res_users u ON u.id = l.create_uid WHERE l.create_date >= %s AND {}"
            ).format(where_users),
            (since,),
        )
        return cr.fetchone()[0]
    if "login_date" in users:
        cr.execute(
            sql.SQL("SELECT count(*) FROM res_users u WHERE u.login_date >= %s AND {}").format(
                where_users
            ),
            (since,),
        )
        return cr.fetchone()[0]
    return None


def _installed_apps(cr, tables):
    if not {"name", "state", "application"} <= tables.get("ir_module_module", set()):
        return None, []
    cr.execute(
        "SELECT name FROM ir_module_module WHERE application AND state = 'installed' ORDER BY name"
    )
    names = [row[0] for row in cr.fetchall()]
    return len(names), names


def read_adoption_from_cursor(cr, since):
    """``{"active_users", "installed_apps", "app_names"}`` of the database behind ``cr``;
    ``None`` values where the tables are missing."""
    tables = _columns(cr)
    active = _active_users(cr, tables, since) if "res_users" in tables else None
    count, names = _installed_apps(cr, tables)
    return {"active_users": active, "installed_apps": count, "app_names": names}


class LocalAdoptionMixin:
    """``read_adoption`` for backends whose tenants are databases of the Odoo server's cluster."""

    def read_adoption(self, environment, since):
        """See :meth:`ProvisioningBackend.read_adoption`."""
        return self._read_adoption_database(environment.database_name, since)

    def _read_adoption_database(self, name, since):
        if not name or not self._database_exists(name):
            return None
        since = (
            since if isinstance(since, datetime) else datetime.combine(since, datetime.min.time())
        )
        try:
            connection = psycopg2.connect(**connection_info_for(name)[1])
        except psycopg2.Error:
            return None  # suspended (connections refused) or being replaced: no data now
        try:
            connection.set_session(readonly=True)
            with connection, connection.cursor() as cr:
                return read_adoption_from_cursor(cr, since)
        except psycopg2.Error:
            return None
        finally:
            connection.close()
