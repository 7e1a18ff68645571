"""PostgreSQL helpers of the local backend (``local.py``): statements outside transactions,
the ownership marker of what the suite created, and what the deployment model gives a database.

Deployment model (``core/deployment.py``): a *dedicated* environment's database is owned by a
role of its own, ``<database>_owner`` (NOLOGIN, created by the suite and marked like the
database: its PostgreSQL comment), with its plan's connection limit and per-database
``statement_timeout`` / ``work_mem``; a *multi-tenant* one is owned by the pool role (the role
Odoo connects as) with the platform's shared connection limit and the server's defaults. The
settings are read back from ``pg_database.datconnlimit``, ``pg_db_role_setting`` and
``pg_database.datdba``. A role of that name the suite did not create is refused, never used nor
dropped; the suite's role is dropped when its database is decommissioned or turns multi-tenant.
When the pool role may not create roles (neither superuser nor CREATEROLE), a dedicated
database keeps the pool role as owner (its limits and settings still apply) and the details say
so: grant the pool role CREATEROLE to give dedicated databases their own role.
"""

import os
import re
import subprocess
import time
from contextlib import closing

import psycopg2
from psycopg2 import sql

import odoo
from odoo.sql_db import close_db, db_connect
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from .base import BackendError

DB_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
# databases of the PostgreSQL server itself, never a tenant's
RESERVED_DATABASES = frozenset({"postgres", "template0", "template1"})
COMMAND_TIMEOUT = 3600
MARKER_PREFIX = "white_label_tenant"
# the per-database parameters a deployment may set (anything else is never written)
DATABASE_PARAMETERS = ("statement_timeout", "work_mem")


def valid_database_name(name):
    """1-63 lower-case letters, digits, '_' or '-': the whole name (fullmatch, so a trailing
    newline is refused), and not one of PostgreSQL's own databases."""
    return (
        isinstance(name, str)
        and bool(DB_NAME_RE.fullmatch(name))
        and name not in RESERVED_DATABASES
    )


def database_marker(database_uuid, environment_id):
    """The comment a database (and the owner role) created by the suite for one environment
    carries."""
    return f"{MARKER_PREFIX}:{database_uuid}:environment:{int(environment_id)}"


def owner_role_name(database_name):
    """The role that owns a dedicated environment's database (63 characters at most)."""
    return f"{database_name[:57]}_owner"


class LocalPostgresHelpers:
    """Mixed into LocalPostgresBackend: ``self.env`` is the Odoo environment."""

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

    def _rename(self, name, new_name):
        self._admin(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(name), sql.Identifier(new_name)
            )
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

    @staticmethod
    def _work_name(name, kind):
        """A transient database next to ``name`` (promotion copy, restore-test scratch)."""
        return f"{name[:40]}_{kind}_{int(time.time() * 1000) % 10**10}"

    def _check_name(self, name):
        if not valid_database_name(name):
            raise BackendError(f"{name!r} is not a valid database name.")
        if name == self.env.cr.dbname:
            raise BackendError(f"{name} is the Odoo database itself: the suite never touches it.")

    # --- ownership marker -------------------------------------------------------------------
    def _marker(self, environment):
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        return database_marker(uuid, environment.id)

    def _read_marker(self, name):
        rows = self._admin(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        )
        return rows[0][0] if rows else None

    def _set_marker(self, name, environment):
        self._admin(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(self._marker(environment))
            )
        )

    def created_by_suite(self, environment, name=None):
        """Whether ``name`` (the environment's database by default) exists and was created by
        this suite, from this Odoo database, for ``environment``."""
        name = name or environment.database_name
        return (
            valid_database_name(name)
            and name != self.env.cr.dbname
            and self._read_marker(name) == self._marker(environment)
        )

    def _check_owned(self, environment, name=None):
        """Refuse (BackendError) any database the suite did not create for ``environment``."""
        name = name or environment.database_name
        self._check_name(name)
        if not self._database_exists(name):
            raise BackendError(f"The database {name} does not exist.")
        if not self.created_by_suite(environment, name):
            raise BackendError(
                f"The database {name} was not created by the suite for {environment.display_name}:"
                " it is left untouched. Point the environment at a new Database Name, or remove"
                " that database yourself if it is really to go."
            )

    # --- deployment model -------------------------------------------------------------------
    def _pool_role(self):
        return self._admin("SELECT current_user")[0][0]

    def _can_create_roles(self):
        rows = self._admin(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        return bool(rows and rows[0][0])

    def _role_marker(self, role):
        """None when the role does not exist, else its comment ('' when it has none)."""
        rows = self._admin(
            "SELECT coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles "
            "WHERE rolname = %s",
            (role,),
        )
        return rows[0][0] if rows else None

    def _owner_role(self, environment, settings):
        """(owner, note): the role that must own the environment's database."""
        pool = self._pool_role()
        if not settings.own_role:
            return pool, ""
        role = owner_role_name(environment.database_name)
        marker = self._role_marker(role)
        if marker is not None:
            if marker != self._marker(environment):
                raise BackendError(
                    f"The role {role} exists and was not created by the suite for "
                    f"{environment.display_name}: it is left untouched. Rename or remove that "
                    "role, or choose another Database Name."
                )
            return role, ""
        if not self._can_create_roles():
            return pool, (
                f" The role {pool} may not create roles (CREATEROLE): the database stays owned "
                f"by {pool}; grant it CREATEROLE to give dedicated databases their own role."
            )
        self._admin(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        self._admin(
            sql.SQL("COMMENT ON ROLE {} IS {}").format(
                sql.Identifier(role), sql.Literal(self._marker(environment))
            )
        )
        # the pool role acts as the owner (rename, suspend, drop) through membership
        self._admin(sql.SQL("GRANT {} TO {}").format(sql.Identifier(role), sql.Identifier(pool)))
        return role, ""

    def _apply_deployment(self, environment, name=None):
        """Give the database ``name`` (the environment's by default, which the caller checked
        is the suite's) the owner, connection limit and parameters of its deployment model."""
        name = name or environment.database_name
        settings = environment._get_database_settings()
        owner, note = self._owner_role(environment, settings)
        database = sql.Identifier(name)
        self._admin(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(database, sql.Identifier(owner))
        )
        self._admin(
            sql.SQL("ALTER DATABASE {} CONNECTION LIMIT {}").format(
                database, sql.Literal(int(settings.connection_limit))
            )
        )
        self._admin(sql.SQL("ALTER DATABASE {} RESET ALL").format(database))
        for parameter, value in settings.parameters.items():
            if parameter not in DATABASE_PARAMETERS:
                raise BackendError(f"{parameter} is not a parameter the suite sets.")
            self._admin(
                sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                    database, sql.Identifier(parameter), sql.Literal(value)
                )
            )
        limit = (
            "no connection limit"
            if settings.connection_limit < 0
            else (f"connection limit {settings.connection_limit}")
        )
        parameters = ", ".join(f"{k} = {v}" for k, v in settings.parameters.items())
        return (
            f"{name}: owner {owner}, {limit}"
            + (f", {parameters}" if parameters else ", the server's default parameters")
            + "."
            + note
        )

    def _drop_owner_role(self, environment):
        """Drop the environment's owner role if the suite created it for that environment and
        it owns no database any more. Returns a sentence for the record ('' when no role)."""
        role = owner_role_name(environment.database_name)
        marker = self._role_marker(role)
        if marker is None:
            return ""
        if marker != self._marker(environment):
            return f" The role {role} was not created by the suite: left untouched."
        if self._admin(
            "SELECT 1 FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles "
            "WHERE rolname = %s)",
            (role,),
        ):
            return f" The role {role} still owns a database: kept."
        try:
            self._admin(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
        except psycopg2.Error as exc:
            return f" The role {role} could not be dropped: {str(exc).strip()}"
        return f" Dropped the role {role}."
