from contextlib import contextmanager

from psycopg2 import errors

from odoo import fields, models
from odoo.exceptions import UserError

# The long-running operations that must not overlap on one environment: an upgrade, a
# disaster-recovery drill restoring its backup, a move to a dedicated environment.
OPERATIONS = [
    ("upgrade", "Upgrade"),
    ("drill", "Disaster-Recovery Drill"),
    ("migration", "Move to Dedicated"),
]


class TenantEnvironment(models.Model):
    """The one guard against overlapping operations on an environment (upgrade, drill, move).

    ``with environments._operation("upgrade"):`` marks them busy (who and when), refuses with a
    clear error any that another operation holds, and clears the mark when the block ends,
    also on failure. The environment rows stay locked for the block, so two workers cannot
    both start an operation on the same environment.
    """

    _inherit = "tenant.environment"
    # added to the environment's workflow fields (channel.workflow.guard gathers every extension's)
    _workflow_fields = ("operation", "operation_started_at", "operation_started_by_id")

    operation = fields.Selection(
        OPERATIONS,
        string="Operation in Progress",
        readonly=True,
        copy=False,
        index=True,
        help="Set while an upgrade, a disaster-recovery drill or a move to dedicated runs on "
        "this environment; another of them is refused until it ends.",
    )
    operation_started_at = fields.Datetime(readonly=True, copy=False)
    operation_started_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    def _operation_label(self, operation):
        return dict(self._fields["operation"]._description_selection(self.env))[operation]

    def _operation_begin(self, operation):
        """Mark these environments busy with ``operation``; refuse those already busy."""
        if not self:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM tenant_environment WHERE id IN %s FOR UPDATE NOWAIT",
                    [tuple(self.ids)],
                )
        except errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Another operation is starting on %(envs)s right now; try again when it "
                    "has finished.",
                    envs=", ".join(self.mapped("display_name")),
                )
            ) from None
        self.invalidate_recordset(["operation"])
        busy = self.filtered("operation")
        if busy:
            raise UserError(
                self.env._(
                    "%(operation)s is not possible on %(env)s: %(running)s is in progress there "
                    "(started %(at)s by %(user)s). Wait until it has finished.",
                    operation=self._operation_label(operation),
                    env=busy[0].display_name,
                    running=self._operation_label(busy[0].operation),
                    at=busy[0].operation_started_at,
                    user=busy[0].operation_started_by_id.name or "?",
                )
            )
        self._workflow_write(
            {
                "operation": operation,
                "operation_started_at": fields.Datetime.now(),
                "operation_started_by_id": self.env.user.id,
            }
        )

    def _operation_end(self):
        self._workflow_write(
            {"operation": False, "operation_started_at": False, "operation_started_by_id": False}
        )

    @contextmanager
    def _operation(self, operation):
        """``with envs._operation("drill"): ...``: busy for the block, cleared afterwards."""
        self._operation_begin(operation)
        try:
            yield self
        finally:
            self._operation_end()
