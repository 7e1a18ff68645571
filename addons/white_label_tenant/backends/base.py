"""The provisioning backend interface.

A backend performs the real infrastructure work for one environment (``tenant.environment``):
the models decide *when* (state machine, access rights, records), the backend *how*. A backend
never writes Odoo records; it returns plain dicts the models store, and raises
:class:`BackendError` with a readable reason when the operation failed.

Backends are offered per database through the ORM (``tenant.backend._backend_classes``, extended
by each module that ships one), never through a process-wide registry: a server hosting several
databases offers each one only the backends of the modules it has installed.
"""


class BackendError(Exception):
    """An operation failed; ``created`` lists what the backend left behind (for the record)."""

    def __init__(self, message, created=()):
        super().__init__(message)
        self.created = list(created)


class ProvisioningBackend:
    """Operations every backend implements. ``environment`` is one ``tenant.environment`` record."""

    code = None
    label = None

    def __init__(self, env):
        self.env = env

    # Nothing destructive by surprise: drop, overwrite (promote), suspend and decommission act
    # only on what the backend itself created for that very environment, and never on the Odoo
    # database itself; anything else is refused with a BackendError.

    def provision(self, environment):
        """Create the environment's database/instance. Returns ``{"details": str}``."""
        raise NotImplementedError

    def apply_branding(self, environment, branding):
        """Apply ``branding`` to the instance: a dict of brand_name, support_email, support_phone,
        primary_color, secondary_color and logo (base64 or False) for the main company, and
        base_url (the address the instance answers on: the custom domain for production)."""
        raise NotImplementedError

    def apply_deployment(self, environment):
        """Give the running environment what its tenant's deployment model and its plan call
        for (e.g. a dedicated database's own owner and limits, the shared ones otherwise);
        :meth:`provision` and :meth:`promote` do it for what they create. Safe to run twice.
        Returns ``{"details": str}``."""
        raise NotImplementedError

    def promote(self, source, target):
        """Replace ``target``'s data with a copy of ``source`` (staging -> production).

        The target is left untouched when the copy fails. Returns ``{"details": str}``.
        """
        raise NotImplementedError

    def suspend(self, environment):
        """Stop serving the environment without losing data."""
        raise NotImplementedError

    def resume(self, environment):
        """Undo :meth:`suspend`."""
        raise NotImplementedError

    def backup(self, environment):
        """Write a backup. Returns ``{"path", "size_bytes", "checksum", "table_count"}``."""
        raise NotImplementedError

    def restore_test(self, environment, backup):
        """Restore ``backup`` (a ``tenant.backup``) somewhere disposable, smoke-check, clean up.

        Returns ``{"passed": bool, "duration_seconds": float, "scratch_database": str,
        "details": str}``.
        """
        raise NotImplementedError

    def decommission(self, environment):
        """Destroy the environment (the caller has taken the final backup)."""
        raise NotImplementedError

    def delete_backup(self, environment, backup):
        """Remove the file of ``backup`` (a ``tenant.backup`` of ``environment``) once its
        retention has passed; a file already gone is no error. Returns ``{"details": str}``."""
        raise NotImplementedError

    def read_adoption(self, environment, since):
        """Adoption read from the environment's own database, read-only: ``{"active_users":
        int|None, "installed_apps": int|None, "app_names": [str]}`` (users active since
        ``since``, installed applications), a value ``None`` where the database cannot tell;
        ``None`` when the database cannot be read at all. A backend that cannot see inside its
        instances keeps this default: no data, never zero."""
        return None

    def exists(self, environment):
        """Whether the environment's database/instance exists."""
        raise NotImplementedError

    def created_by_suite(self, environment):
        """Whether the environment's database/instance exists and was created by the suite for
        this very environment (the only kind the destructive operations accept)."""
        raise NotImplementedError

    # --- move to a dedicated environment (tenant.migration) ---------------------------------
    def copy_to(self, source, target):
        """Copy ``source``'s data into a new database/instance for ``target`` (the move of a
        tenant to a dedicated environment), created, marked as the suite's for ``target`` and
        given ``target``'s deployment. ``target``'s must not exist yet: an existing one is
        refused, never overwritten. Returns ``{"details": str, "table_count": int}``."""
        raise NotImplementedError

    def set_read_only(self, environment, read_only=True):
        """Make the environment refuse writes while staying readable (``read_only``), or accept
        them again. Only what the suite created. Returns ``{"details": str}``."""
        raise NotImplementedError

    def smoke_check(self, environment, expected_tables=None):
        """Whether the environment's database exists, is the suite's and answers with its
        tables (``expected_tables`` of them when given). Returns ``{"passed": bool,
        "details": str}``."""
        raise NotImplementedError

    # --- versions and upgrades (tenant.upgrade.campaign) ------------------------------------
    def read_versions(self, environment):
        """The versions read from the environment's own database: ``{"odoo_version": str|None,
        "modules": {name: {"version": str, "state": str}}|None}`` (``None`` where the database
        cannot tell, e.g. it has no module table). Raises BackendError when it cannot be read."""
        raise NotImplementedError

    def upgrade(self, environment, modules):
        """Upgrade the ``modules`` (technical names) of the environment's instance to the code
        the platform runs now (``odoo-bin -u``). Only what the suite created. Returns
        ``{"details": str, "log": str}``; raises BackendError (with the log) when it failed."""
        raise NotImplementedError

    def rollback(self, environment, backup):
        """Put ``backup`` (a ``tenant.backup`` of ``environment``) back in place of the
        environment's data, e.g. after a failed upgrade. Only what the suite created; the
        current data are kept when the restore fails. Returns ``{"details": str}``."""
        raise NotImplementedError
