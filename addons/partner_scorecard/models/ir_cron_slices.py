import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..core import slices

_logger = logging.getLogger(__name__)

SLICES_PARAM = "partner_channel.batch_slices"
# what a twin copies from its original, and keeps in step when the original changes
TWIN_FIELDS = ("interval_number", "interval_type", "active", "user_id", "priority")


class IrCron(models.Model):
    """Parallel slices of the suite's batch jobs.

    Odoo runs one ``ir_cron`` row on one cron worker at a time, but spreads the rows over every
    cron thread of every node. With ``partner_channel.batch_slices`` set to N > 1, each registered
    batch job gets N - 1 twin scheduled actions "<name> (slice k/N)"; the original runs slice 0,
    twin k runs ``<method>(slice_index=k)``, and each takes only the units with
    ``id % N = slice_index`` (``_channel_slice_sql``, in the same ``SKIP LOCKED`` select), so N
    workers share the work and never take the same unit. Only twins made here are ever removed
    (``channel_slice_of_id``).

    A module registers its jobs by extending ``_channel_batch_jobs``.
    """

    _inherit = "ir.cron"

    channel_slice_of_id = fields.Many2one(
        "ir.cron",
        string="Parallel Slice Of",
        readonly=True,
        copy=False,  # a copy is somebody's own scheduled action, never removed with the twins
        index="btree_not_null",
        ondelete="cascade",
        help="The batch job this scheduled action runs one parallel slice of "
        "(Settings > Partner Channel > Parallel Slices).",
    )
    channel_slice_index = fields.Integer(string="Parallel Slice", readonly=True, copy=False)

    # ---------------------------------------------------------------- registry

    @api.model
    def _channel_batch_jobs(self):
        """Hook: ``{cron xml id: method name}`` of the batch jobs that run in parallel slices.

        The method takes ``slice_index`` (0 for the original) and restricts its units with
        :meth:`_channel_slice_sql`. Extend with ``{**super()._channel_batch_jobs(), ...}``."""
        return {"partner_scorecard.partner_scorecard_cron_recompute": "_cron_recompute"}

    # ---------------------------------------------------------------- the slice of a call

    @api.model
    def _channel_slice_count(self):
        value = self.env["ir.config_parameter"].sudo().get_param(SLICES_PARAM)
        try:
            return slices.parse_slice_count(value)
        except ValueError:
            # refused when set (ir.config_parameter); a value written in SQL counts as one slice
            _logger.warning(
                "%s = %r is not a slice count: running in one slice", SLICES_PARAM, value
            )
            return slices.DEFAULT_SLICES

    @api.model
    def _channel_slice(self, slice_index=0):
        """The slice a call with ``slice_index`` takes (a :class:`core.slices.Slice`)."""
        return slices.Slice(slice_index, self._channel_slice_count())

    @api.model
    def _channel_slice_sql(self, column, slice_index=0):
        """SQL condition keeping the units of slice ``slice_index``; ``column`` is the unit's id
        (an ``SQL`` expression). TRUE in one slice, FALSE for an idle twin."""
        part = self._channel_slice(slice_index)
        if part.whole:
            return SQL("TRUE")
        if part.idle:
            return SQL("FALSE")
        return SQL("MOD(%s, %s) = %s", column, part.count, part.index)

    @api.model
    def _channel_lock_batch(self, records, domain, limit):
        """Up to ``limit`` records of ``records``' model matching ``domain``, oldest id first,
        locked for this transaction with SKIP LOCKED (those another worker holds are left to
        it), in ``records``' environment. What the query reads is flushed first."""
        table = records._table
        query = records._search(domain, order="id", limit=limit)
        rows = self.env.execute_query(
            SQL(
                "%s FOR UPDATE OF %s SKIP LOCKED",
                query.select(SQL.identifier(table, "id")),
                SQL.identifier(table),
            )
        )
        return records.browse(row[0] for row in rows)

    @api.model
    def _channel_trigger_twins(self, xmlid, delay=timedelta(seconds=10)):
        """Have the twins of job ``xmlid`` run again shortly: the original made work for them
        (a new period) after they may have found none. A little later than now, so that a twin
        running at this moment does not drop the trigger when it finishes."""
        original = self.env.ref(xmlid, raise_if_not_found=False)
        if not original:
            return
        twins = self.sudo().search([("channel_slice_of_id", "=", original.id)])
        for twin in twins:
            twin._trigger(fields.Datetime.now() + delay)

    # ---------------------------------------------------------------- the twins

    @api.model
    def _channel_sync_slices(self):
        """Create or remove the twins so that every registered job runs in as many slices as the
        setting says. Called when the setting changes and when a module registering jobs is
        installed or updated; does nothing when they already match."""
        count = self._channel_slice_count()
        Cron = self.sudo().with_context(active_test=False)
        created = removed = Cron.browse()
        for xmlid, method in self._channel_batch_jobs().items():
            original = self.env.ref(xmlid, raise_if_not_found=False)
            if not original:
                continue
            original = original.sudo()
            twins = Cron.search([("channel_slice_of_id", "=", original.id)])
            wanted = set(slices.twin_indexes(count))
            stale = twins.filtered(lambda t, wanted=wanted: t.channel_slice_index not in wanted)
            removed |= stale
            kept = twins - stale
            for twin in kept:
                name = slices.twin_name(original.name, twin.channel_slice_index, count)
                if twin.name != name:
                    twin.name = name
            missing = wanted - set(kept.mapped("channel_slice_index"))
            if missing:
                created |= Cron.create(
                    [original._channel_twin_vals(method, index, count) for index in sorted(missing)]
                )
        if removed:
            removed.unlink()
        if created or removed:
            _logger.info(
                "Parallel slices set to %s by %s (uid %s): %s twin scheduled actions created, "
                "%s removed",
                count,
                self.env.user.login,
                self.env.uid,
                len(created),
                len(removed),
            )
        return created

    def _channel_twin_vals(self, method, index, count):
        self.ensure_one()
        vals = {
            "name": slices.twin_name(self.name, index, count),
            "model_id": self.model_id.id,
            "state": "code",
            "code": f"model.{method}(slice_index={index})",
            "nextcall": self.nextcall,
            "channel_slice_of_id": self.id,
            "channel_slice_index": index,
        }
        vals.update(self._convert_to_write({name: self[name] for name in TWIN_FIELDS}))
        return vals

    def write(self, vals):
        res = super().write(vals)
        # an original's schedule, activity and user hold for all its slices
        followed = {name: vals[name] for name in TWIN_FIELDS if name in vals}
        if followed and not self.env.context.get("channel_slice_write"):
            twins = (
                self.sudo()
                .with_context(active_test=False)
                .search([("channel_slice_of_id", "in", self.ids)])
            )
            twins.with_context(channel_slice_write=True).write(followed)
        return res

    def unlink(self):
        # the twins go with their original (a cascade in SQL would leave their server actions)
        twins = (
            self.sudo()
            .with_context(active_test=False)
            .search([("channel_slice_of_id", "in", self.ids), ("id", "not in", self.ids)])
        )
        if twins:
            twins.unlink()
        # a twin's server action was made for it alone
        actions = self.sudo().filtered("channel_slice_of_id").ir_actions_server_id
        res = super().unlink()
        actions.unlink()
        return res
