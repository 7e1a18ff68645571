"""The provisioning backend interface and its registry.

A backend performs the real infrastructure work for one environment (``tenant.environment``):
the models decide *when* (state machine, access rights, records), the backend *how*. A backend
never writes Odoo records; it returns plain dicts the models store, and raises
:class:`BackendError` with a readable reason when the operation failed.
"""

_REGISTRY = {}


class BackendError(Exception):
    """An operation failed; ``created`` lists what the backend left behind (for the record)."""

    def __init__(self, message, created=()):
        super().__init__(message)
        self.created = list(created)


def register_backend(cls):
    """Class decorator: make a backend available under its ``code``."""
    if not cls.code:
        raise ValueError(f"{cls.__name__} needs a code")
    _REGISTRY[cls.code] = cls
    return cls


def get_backend(code, env):
    try:
        return _REGISTRY[code](env)
    except KeyError as exc:
        raise BackendError(
            f"No provisioning backend is registered under the code {code!r}."
        ) from exc


def backend_selection():
    return [(code, cls.label) for code, cls in sorted(_REGISTRY.items())]


class ProvisioningBackend:
    """Operations every backend implements. ``environment`` is one ``tenant.environment`` record."""

    code = None
    label = None

    def __init__(self, env):
        self.env = env

    def provision(self, environment):
        """Create the environment's database/instance. Returns ``{"details": str}``."""
        raise NotImplementedError

    def apply_branding(self, environment, branding):
        """Apply ``branding`` to the instance: a dict of brand_name, support_email, support_phone,
        primary_color, secondary_color and logo (base64 or False) for the main company, and
        base_url (the address the instance answers on: the custom domain for production)."""
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

    def exists(self, environment):
        """Whether the environment's database/instance exists."""
        raise NotImplementedError
