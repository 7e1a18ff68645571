"""The local backend: real PostgreSQL databases on the server Odoo itself uses.

Provisioning copies a template database (``CREATE DATABASE ... TEMPLATE ...``), promotion copies
staging the same way and swaps the copy in under production's name, backups are
``pg_dump`` custom-format files under the Odoo data directory, restore tests ``pg_restore`` them
into a scratch database that is always dropped, decommissioning drops the database.

Every database this backend creates for an environment carries a marker, its PostgreSQL comment
(``COMMENT ON DATABASE``: kept across renames, readable without connecting, so also while the
database is suspended, and never inherited by a copy): ``white_label_tenant:<Odoo database
uuid>:environment:<id>``. Drop, promotion, suspension and decommissioning first check that marker
(:meth:`LocalPostgresBackend._check_owned`): a database the suite did not create for that very
environment, or the Odoo database itself, is refused, never touched.
"""

import base64
import hashlib
import os
import subprocess
import time
from datetime import datetime

import psycopg2
from psycopg2 import sql

from odoo.sql_db import close_db, connection_info_for
from odoo.tools.image import image_process
from odoo.tools.mimetypes import guess_mimetype

from .base import BackendError, ProvisioningBackend
from .local_adoption import LocalAdoptionMixin
from .local_pg import (  # noqa: F401  (valid_database_name, database_marker: the public names)
    LocalPostgresHelpers,
    database_marker,
    valid_database_name,
)
from .local_upgrade import (
    LOG_TAIL,
    UPGRADE_TIMEOUT,
    odoo_update_command,
    read_versions_from_cursor,
)


class LocalPostgresBackend(LocalAdoptionMixin, LocalPostgresHelpers, ProvisioningBackend):
    code = "local"
    label = "Local PostgreSQL"

    # --- operations -------------------------------------------------------------------------
    def exists(self, environment):
        return self._database_exists(environment.database_name)

    def provision(self, environment):
        name = environment.database_name
        template = environment._get_template_database()
        self._check_name(name)
        self._check_name(template)
        if self._database_exists(name):
            raise BackendError(
                f"The database {name} already exists and was not created for this environment:"
                " it is left untouched. Choose another Database Name."
            )
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
        self._set_marker(name, environment)
        try:
            deployed = self._apply_deployment(environment)
        except Exception as exc:
            # nothing half-made: the new database (and the role made for it) go again
            self._drop(name)
            self._drop_owner_role(environment)
            raise BackendError(f"Setting up {name} for its deployment failed: {exc}") from exc
        return {"details": f"Created {name} from template {template}. {deployed}"}

    def apply_deployment(self, environment):
        self._check_owned(environment)
        details = self._apply_deployment(environment)
        if environment.tenant_id.deployment_model != "dedicated":
            details += self._drop_owner_role(environment)
        return {"details": details}

    def apply_branding(self, environment, branding):
        name = environment.database_name
        self._check_owned(environment)
        columns = {
            "name": branding.get("brand_name"),
            "email": branding.get("support_email"),
            "phone": branding.get("support_phone"),
            "primary_color": branding.get("primary_color"),
            "secondary_color": branding.get("secondary_color"),
        }
        # a plain connection: a failure here is the tenant's, reported on it, not in Odoo's log
        connection = psycopg2.connect(**connection_info_for(name)[1])
        done = []
        try:
            with connection, connection.cursor() as cr:
                tables = self._tenant_columns(cr)
                company = tables.get("res_company", set())
                values = {k: v for k, v in columns.items() if k in company and v}
                if values:
                    assignments = sql.SQL(", ").join(
                        sql.SQL("{} = %s").format(sql.Identifier(k)) for k in values
                    )
                    cr.execute(
                        sql.SQL(
                            "UPDATE res_company SET {} WHERE id = (SELECT min(id) FROM res_company)"
                        ).format(assignments),
                        list(values.values()),
                    )
                    done.extend(sorted(values))
                if branding.get("logo") and self._brand_logo(cr, tables, branding["logo"]):
                    done.append("logo")
                if branding.get("base_url") and self._brand_base_url(
                    cr, tables, branding["base_url"]
                ):
                    done.append("base URL")
        except psycopg2.Error as exc:
            raise BackendError(f"Branding {name} failed: {str(exc).strip()}") from exc
        finally:
            connection.close()
        if not done:
            return {"details": "No company table or nothing to brand."}
        return {"details": f"Branded the instance: {', '.join(done)}."}

    @staticmethod
    def _tenant_columns(cr):
        """{table: {columns}} of the tables branding touches, as the tenant database has them."""
        cr.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = ANY(%s)",
            (["res_company", "res_partner", "ir_attachment", "ir_config_parameter", "website"],),
        )
        tables = {}
        for table, column in cr.fetchall():
            tables.setdefault(table, set()).add(column)
        return tables

    def _brand_logo(self, cr, tables, logo_b64):
        """The company logo as Odoo stores it: the main company partner's image_1920 (and its
        resized copies) as database-stored attachments, plus the company's logo_web column."""
        company = tables.get("res_company", set())
        attachment = tables.get("ir_attachment", set())
        if "partner_id" not in company or not {"db_datas", "res_field"} <= attachment:
            return False
        cr.execute("SELECT partner_id FROM res_company ORDER BY id LIMIT 1")
        row = cr.fetchone()
        if not row or not row[0]:
            return False
        partner_id = row[0]
        raw = base64.b64decode(logo_b64)
        images = {"image_1920": image_process(raw, size=(1920, 1920))}
        for size in (1024, 512, 256, 128):
            images[f"image_{size}"] = image_process(raw, size=(size, size))
        # attachments stored in the database (db_datas) need no file in the tenant's filestore
        cr.execute(
            "DELETE FROM ir_attachment WHERE res_model = 'res.partner' AND res_id = %s "
            "AND res_field = ANY(%s)",
            (partner_id, list(images)),
        )
        extra = [c for c in ("create_date", "write_date") if c in attachment]
        for field_name, data in images.items():
            cr.execute(
                sql.SQL(
                    "INSERT INTO ir_attachment (name, res_model, res_field, res_id, type, db_datas, "
                    "file_size, checksum, mimetype{}) VALUES (%s, 'res.partner', %s, %s, 'binary', "
                    "%s, %s, %s, %s{})"
                ).format(
                    sql.SQL("").join(sql.SQL(", {}").format(sql.Identifier(c)) for c in extra),
                    sql.SQL("").join(sql.SQL(", now() at time zone 'UTC'") for _c in extra),
                ),
                (
                    field_name,
                    field_name,
                    partner_id,
                    psycopg2.Binary(data),
                    len(data),
                    hashlib.sha1(data).hexdigest(),
                    guess_mimetype(data),
                ),
            )
        if "logo_web" in company:
            # a stored non-attachment Binary holds its base64 text
            logo_web = base64.b64encode(image_process(raw, size=(180, 0)))
            cr.execute(
                "UPDATE res_company SET logo_web = %s WHERE id = (SELECT min(id) FROM res_company)",
                (psycopg2.Binary(logo_web),),
            )
        if "uses_default_logo" in company:
            cr.execute(
                "UPDATE res_company SET uses_default_logo = false "
                "WHERE id = (SELECT min(id) FROM res_company)"
            )
        return True

    def _brand_base_url(self, cr, tables, base_url):
        """web.base.url, frozen so an administrator's login does not overwrite it, and the
        first website's domain when the website app is installed."""
        if not {"key", "value"} <= tables.get("ir_config_parameter", set()):
            return False
        for key, value in (("web.base.url", base_url), ("web.base.url.freeze", "True")):
            cr.execute("UPDATE ir_config_parameter SET value = %s WHERE key = %s", (value, key))
            if not cr.rowcount:
                cr.execute(
                    "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)", (key, value)
                )
        if "domain" in tables.get("website", set()):
            cr.execute(
                "UPDATE website SET domain = %s WHERE id = (SELECT min(id) FROM website)",
                (base_url,),
            )
        return True

    def _clone(self, source, target, name):
        """``CREATE DATABASE name TEMPLATE source`` (a template has no other session: the
        source's are cut for the seconds of the copy), then give the copy the target's marker
        and deployment (owner, limits, parameters: none of them is copied). A copy that cannot
        be prepared is dropped again; one that could not be made (or whose name was taken, so
        not ours) is left alone. Returns what the deployment did."""
        src = source.database_name
        self._terminate(src)
        try:
            self._admin(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(src)
                )
            )
        except Exception as exc:
            raise BackendError(f"Copying {src} into {name} failed: {exc}") from exc
        try:
            self._set_marker(name, target)
            return self._apply_deployment(target, name)
        except Exception as exc:
            self._drop(name)
            raise BackendError(f"Preparing the copy {name} of {src} failed: {exc}") from exc

    def promote(self, source, target):
        """Copy the source database next to the target, then swap names: the target keeps its
        data until the copy exists, and is dropped only after the swap."""
        src, dst = source.database_name, target.database_name
        # staging's sessions are cut and production is replaced: both must be the suite's own
        self._check_owned(source)
        self._check_owned(target)
        incoming, outgoing = self._work_name(dst, "in"), self._work_name(dst, "out")
        # the copy becomes production: production's marker and deployment, never staging's
        self._clone(source, target, incoming)
        started = time.monotonic()
        try:
            self._terminate(dst)
            self._rename(dst, outgoing)
        except Exception as exc:
            self._drop(incoming)
            raise BackendError(f"Taking {dst} offline failed: {exc}") from exc
        try:
            self._rename(incoming, dst)
        except Exception as exc:
            # put production back as it was
            self._rename(outgoing, dst)
            self._drop(incoming)
            raise BackendError(f"Switching {dst} to the copy failed: {exc}") from exc
        self._drop(outgoing)
        return {
            "details": f"{dst} now holds a copy of {src} "
            f"(switch-over {time.monotonic() - started:.2f} s)."
        }

    def suspend(self, environment):
        name = environment.database_name
        self._check_owned(environment)
        self._admin(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(name))
        )
        self._terminate(name)
        return {"details": f"{name} no longer accepts connections."}

    def resume(self, environment):
        name = environment.database_name
        self._check_owned(environment)
        self._admin(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name))
        )
        return {"details": f"{name} accepts connections again."}

    def backup(self, environment):
        name = environment.database_name
        self._check_owned(environment)
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
        scratch = self._work_name(environment.database_name, "rt")
        started = time.monotonic()
        created = False
        try:
            try:
                self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
            except psycopg2.Error as exc:
                raise BackendError(
                    f"Creating the scratch database {scratch} failed: {exc}"
                ) from exc
            created = True
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
            # only the scratch database this test created: a name taken meanwhile is not ours
            if created:
                self._drop(scratch)
        return {
            "passed": passed,
            "duration_seconds": duration,
            "scratch_database": scratch,
            "details": details,
        }

    def delete_backup(self, environment, backup):
        path = backup.file_path
        if not path:
            return {"details": "No backup file to remove."}
        # only a dump this backend wrote into the environment's own backup folder
        folder = os.path.realpath(self._backup_dir(environment))
        if os.path.dirname(os.path.realpath(path)) != folder:
            raise BackendError(f"{path} is not in the backup folder {folder}: not removed.")
        if not os.path.exists(path):
            return {"details": f"{path} was already removed."}
        os.unlink(path)
        return {"details": f"Removed {path}."}

    def decommission(self, environment):
        name = environment.database_name
        self._check_name(name)
        if not self._database_exists(name):
            return {
                "details": f"{name} does not exist: nothing to drop."
                f"{self._drop_owner_role(environment)}"
            }
        self._check_owned(environment)
        self._drop(name)
        return {"details": f"Dropped {name}.{self._drop_owner_role(environment)}"}

    # --- move to a dedicated environment (tenant.migration) ---------------------------------
    def copy_to(self, source, target):
        """``CREATE DATABASE target TEMPLATE source``: the source's sessions are cut for the
        seconds of the copy (it is read-only by then); the copy gets the target's marker and
        deployment (neither is copied). A copy that cannot be prepared is dropped again."""
        src, dst = source.database_name, target.database_name
        self._check_owned(source)
        self._check_name(dst)
        if self._database_exists(dst):
            raise BackendError(
                f"The database {dst} already exists: it is left untouched. Choose another "
                "Database Name for the dedicated environment."
            )
        try:
            deployed = self._clone(source, target, dst)
        except BackendError:
            self._drop_owner_role(target)  # made for the target by the failed deployment
            raise
        return {
            "details": f"Copied {src} into {dst}. {deployed}",
            "table_count": self._table_count(dst),
        }

    def set_read_only(self, environment, read_only=True):
        name = environment.database_name
        self._check_owned(environment)
        database = sql.Identifier(name)
        if read_only:
            self._admin(
                sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = on").format(database)
            )
        else:
            self._admin(
                sql.SQL("ALTER DATABASE {} RESET default_transaction_read_only").format(database)
            )
        # open sessions keep their setting: cut them, they reconnect under the new one
        self._terminate(name)
        state = "read-only" if read_only else "writable again"
        return {"details": f"{name} is {state}."}

    def smoke_check(self, environment, expected_tables=None):
        name = environment.database_name
        if not self.created_by_suite(environment):
            return {
                "passed": False,
                "details": f"{name} does not exist or was not created by the suite for "
                f"{environment.display_name}.",
            }
        try:
            tables = self._table_count(name)
        except psycopg2.Error as exc:
            return {"passed": False, "details": f"{name} does not answer: {str(exc).strip()}"}
        passed = tables > 0 and (expected_tables is None or tables == expected_tables)
        expected = "" if expected_tables is None else f" (expected {expected_tables})"
        return {"passed": passed, "details": f"{name} answers with {tables} tables{expected}."}

    # --- versions and upgrades (tenant.upgrade.campaign) ------------------------------------
    def read_versions(self, environment):
        name = environment.database_name
        self._check_name(name)
        try:
            connection = psycopg2.connect(**connection_info_for(name)[1])
        except psycopg2.Error as exc:
            raise BackendError(f"{name} cannot be read: {str(exc).strip()}") from exc
        try:
            connection.set_session(readonly=True)
            with connection, connection.cursor() as cr:
                return read_versions_from_cursor(cr)
        except psycopg2.Error as exc:
            raise BackendError(
                f"Reading the versions of {name} failed: {str(exc).strip()}"
            ) from exc
        finally:
            connection.close()

    def upgrade(self, environment, modules):
        name = environment.database_name
        self._check_owned(environment)
        # odoo-bin -u would initialise a database without Odoo in it: only installed modules
        modules_there = self.read_versions(environment)["modules"] or {}
        missing = [m for m in modules if modules_there.get(m, {}).get("state") != "installed"]
        if missing:
            raise BackendError(
                f"{', '.join(missing)} not installed on {name}: nothing was upgraded. Remove "
                "them from the campaign's modules or install them first."
            )
        extra = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("white_label_tenant.upgrade_addons_path", "")
        )
        try:
            command = odoo_update_command(name, modules, extra.split(","))
        except ValueError as exc:
            raise BackendError(str(exc)) from exc
        # the tenant database must be free of Odoo's own pooled sessions (registry loading)
        close_db(name)
        started = time.monotonic()
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=UPGRADE_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BackendError(f"Running odoo-bin on {name} failed: {exc}") from exc
        log = (result.stdout + result.stderr)[-LOG_TAIL:]
        seconds = time.monotonic() - started
        if result.returncode:
            raise BackendError(
                f"odoo-bin -u {','.join(modules)} on {name} failed (exit {result.returncode}, "
                f"{seconds:.1f} s):\n{log}"
            )
        return {
            "details": f"Upgraded {', '.join(modules)} on {name} in {seconds:.1f} s.",
            "log": log,
        }

    def rollback(self, environment, backup):
        """Restore the backup into a new database next to production, then swap names: the
        current data stay until the restore succeeded, and are dropped only after the swap."""
        name = environment.database_name
        self._check_owned(environment)
        path = backup.file_path
        if backup.environment_id != environment or not path or not os.path.exists(path):
            raise BackendError(f"The backup file {path} of {name} is missing.")
        digest = hashlib.sha256()
        with open(path, "rb") as dump:
            for chunk in iter(lambda: dump.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != backup.checksum:
            raise BackendError(f"{path} does not match its recorded checksum: not restored.")
        incoming, outgoing = self._work_name(name, "rb"), self._work_name(name, "old")
        try:
            self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(incoming)))
        except psycopg2.Error as exc:
            raise BackendError(f"Creating {incoming} for the rollback failed: {exc}") from exc
        try:
            self._run("pg_restore", ["--no-owner", "--exit-on-error", f"--dbname={incoming}", path])
            self._set_marker(incoming, environment)
            self._apply_deployment(environment, incoming)
        except Exception as exc:
            self._drop(incoming)
            raise BackendError(f"Restoring {path} failed: {exc}") from exc
        try:
            self._terminate(name)
            self._rename(name, outgoing)
        except Exception as exc:
            self._drop(incoming)
            raise BackendError(f"Taking {name} offline failed: {exc}") from exc
        try:
            self._rename(incoming, name)
        except Exception as exc:
            self._rename(outgoing, name)
            self._drop(incoming)
            raise BackendError(f"Switching {name} to the restored copy failed: {exc}") from exc
        self._drop(outgoing)
        return {"details": f"{name} restored from {os.path.basename(path)}."}
