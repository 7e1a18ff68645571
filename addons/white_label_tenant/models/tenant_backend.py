from odoo import api, models
from odoo.exceptions import UserError

from ..backends.local import LocalPostgresBackend


class TenantBackend(models.AbstractModel):
    """The provisioning backends this database offers.

    Registered through the ORM, not in a process-wide dict: a module shipping a backend extends
    :meth:`_backend_classes`, so a server hosting several databases offers each one only the
    backends of the modules it has installed (see readme/DEVELOP.md).
    """

    _name = "tenant.backend"
    _description = "Tenant Provisioning Backends"

    @api.model
    def _backend_classes(self):
        """``{code: ProvisioningBackend subclass}``; extend with ``super()`` to add one."""
        return {LocalPostgresBackend.code: LocalPostgresBackend}

    @api.model
    def _selection(self):
        return [(code, cls.label) for code, cls in sorted(self._backend_classes().items())]

    @api.model
    def _get(self, code):
        """An instance of the backend registered under ``code`` in this database."""
        backend_class = self._backend_classes().get(code)
        if backend_class is None:
            raise UserError(
                self.env._(
                    "No provisioning backend %(code)s is installed in this database: choose "
                    "another Backend on the tenant or install the module that provides it.",
                    code=code,
                )
            )
        return backend_class(self.env)
