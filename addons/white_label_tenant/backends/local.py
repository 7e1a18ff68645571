"""The local backend: real PostgreSQL databases on the server Odoo itself uses.

Provisioning copies a template database (``CREATE DATABASE ... TEMPLATE ...``), backups are
``pg_dump`` custom-format files under the Odoo data directory, restore tests ``pg_restore`` them
into a scratch database that is always dropped, decommissioning drops the database.
"""

import hashlib
import os
import re
import subprocess
import time
from contextlib import closing
from datetime import datetime

import psycopg2
from psycopg2 import sql

import odoo
from odoo.sql_db import close_db, connection_info_for, db_connect
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from .base import BackendError, ProvisioningBackend, register_backend

DB_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
COMMAND_TIMEOUT = 3600


def valid_database_name(name):
    return bool(name) and bool(DB_NAME_RE.match(name))


@register_backend
class LocalPostgresBackend(ProvisioningBackend):
    code = "local"
    label = "Local PostgreSQL"

    # --- helpers ----------------------------------------------------------------------------
    def _admin(self, query, params=None, dbname="postgres"):
        """Run one statement outside any transaction (CREATE/DROP DATABASE need autocommit)."""
        with closing(db_connect(dbname).cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(query, params)
            return cr.fetchall() if cr.description else None

    def _database_exists(self, name):
        return bool(self._admin("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))

    def _terminate(self, name):
        close_db(name)
        self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )

    def _drop(self, name):
        close_db(name)
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _table_count(self, name):
        rows = self._admin(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            dbname=name,
        )
        close_db(name)
        return rows[0][0]

    def _run(self, tool, args):
        command = [find_pg_tool(tool), *args]
        result = subprocess.run(
            command,
            env=exec_pg_environ(),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        if result.returncode:
            raise BackendError(f"{tool} failed: {(result.stderr or result.stdout).strip()[:500]}")
        return result

    def _backup_dir(self, environment):
        path = os.path.join(
            odoo.tools.config["data_dir"],
            "tenant_backups",
            self.env.cr.dbname,
            environment.database_name,
        )
        os.makedirs(path, exist_ok=True)
        return path

    def _check_name(self, name):
        if not valid_database_name(name):
            raise BackendError(f"{name!r} is not a valid database name.")

    # --- operations -------------------------------------------------------------------------
    def exists(self, environment):
        return self._database_exists(environment.database_name)

    def provision(self, environment):
        name = environment.database_name
        template = environment._get_template_database()
        self._check_name(name)
        self._check_name(template)
        if self._database_exists(name):
            raise BackendError(f"The database {name} already exists.")
        if not self._database_exists(template):
            raise BackendError(f"The template database {template} does not exist.")
        # a template must have no other session, including Odoo's own pooled ones
        close_db(template)
        try:
            self._admin(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        except Exception as exc:
            raise BackendError(f"Creating {name} from {template} failed: {exc}") from exc
        return {"details": f"Created {name} from template {template}."}

    def apply_branding(self, environment, branding):
        name = environment.database_name
        columns = {
            "name": branding.get("brand_name"),
            "email": branding.get("support_email"),
            "phone": branding.get("support_phone"),
            "primary_color": branding.get("primary_color"),
            "secondary_color": branding.get("secondary_color"),
        }
        # a plain connection: a failure here is the tenant's, reported on it, not in Odoo's log
        connection = psycopg2.connect(**connection_info_for(name)[1])
        try:
            with connection, connection.cursor() as cr:
                cr.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND table_name = 'res_company'"
                )
                existing = {row[0] for row in cr.fetchall()}
                values = {k: v for k, v in columns.items() if k in existing and v}
                if not values:
                    return {"details": "No company table or nothing to brand."}
                assignments = sql.SQL(", ").join(
                    sql.SQL("{} = %s").format(sql.Identifier(k)) for k in values
                )
                cr.execute(
                    sql.SQL(
                        "UPDATE res_company SET {} WHERE id = (SELECT min(id) FROM res_company)"
                    ).format(assignments),
                    list(values.values()),
                )
        except psycopg2.Error as exc:
            raise BackendError(f"Branding {name} failed: {str(exc).strip()}") from exc
        finally:
            connection.close()
        return {"details": f"Branded the main company with {', '.join(sorted(values))}."}

    def suspend(self, environment):
        name = environment.database_name
        self._admin(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(name))
        )
        self._terminate(name)
        return {"details": f"{name} no longer accepts connections."}

    def resume(self, environment):
        name = environment.database_name
        self._admin(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name))
        )
        return {"details": f"{name} accepts connections again."}

    def backup(self, environment):
        name = environment.database_name
        self._check_name(name)
        if not self._database_exists(name):
            raise BackendError(f"The database {name} does not exist.")
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = os.path.join(self._backup_dir(environment), f"{name}-{stamp}.dump")
        try:
            self._run("pg_dump", ["--format=custom", "--no-owner", f"--file={path}", name])
        except BackendError:
            if os.path.exists(path):
                os.unlink(path)
            raise
        digest = hashlib.sha256()
        with open(path, "rb") as dump:
            for chunk in iter(lambda: dump.read(1 << 20), b""):
                digest.update(chunk)
        return {
            "path": path,
            "size_bytes": os.path.getsize(path),
            "checksum": digest.hexdigest(),
            "table_count": self._table_count(name),
        }

    def restore_test(self, environment, backup):
        path = backup.file_path
        if not path or not os.path.exists(path):
            raise BackendError(f"The backup file {path} is missing.")
        digest = hashlib.sha256()
        with open(path, "rb") as dump:
            for chunk in iter(lambda: dump.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != backup.checksum:
            return {
                "passed": False,
                "duration_seconds": 0.0,
                "scratch_database": False,
                "details": "The backup file does not match its recorded checksum.",
            }
        scratch = f"{environment.database_name[:40]}_rt_{int(time.time() * 1000) % 10**10}"
        started = time.monotonic()
        try:
            self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
            self._run("pg_restore", ["--no-owner", "--exit-on-error", f"--dbname={scratch}", path])
            tables = self._table_count(scratch)
            duration = time.monotonic() - started
            passed = tables == backup.table_count
            details = (
                f"Restored {tables} tables into {scratch} in {duration:.2f} s"
                if passed
                else f"Restored {tables} tables, the backup had {backup.table_count}."
            )
        except BackendError as exc:
            duration, passed, details = time.monotonic() - started, False, str(exc)
        finally:
            self._drop(scratch)
        return {
            "passed": passed,
            "duration_seconds": duration,
            "scratch_database": scratch,
            "details": details,
        }

    def decommission(self, environment):
        name = environment.database_name
        self._check_name(name)
        self._drop(name)
        return {"details": f"Dropped {name}."}
