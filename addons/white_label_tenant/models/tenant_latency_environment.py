from datetime import timedelta

from markupsafe import Markup
from psycopg2.extras import execute_values

from odoo import fields, models
from odoo.exceptions import UserError

from ..core.latency import baseline, check_settings, is_degraded

LATENCY_FIELDS = (
    "latency_baseline_ms",
    "latency_p95_ms",
    "latency_baseline_at",
    "latency_degraded",
    "latency_degraded_since",
)
# the baseline is recomputed once a day; it needs at least an hour of five-minute probes
BASELINE_REFRESH = timedelta(days=1)
BASELINE_MIN_SAMPLES = 12


class TenantEnvironment(models.Model):
    """Probe latency: a rolling baseline per environment (median and p95 of its successful
    probes over the last days) and a flag when the last probes are all much slower."""

    _inherit = "tenant.environment"
    # added to the workflow fields (channel.workflow.guard gathers every extension's)
    _workflow_fields = LATENCY_FIELDS

    latency_baseline_ms = fields.Float(
        string="Latency Baseline (ms)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Median latency of the successful health probes over the last days (Settings: "
        "white_label_tenant.latency_baseline_days, 7 by default), recomputed daily.",
    )
    latency_p95_ms = fields.Float(
        string="Latency p95 (ms)", readonly=True, copy=False, digits=(16, 1)
    )
    latency_baseline_at = fields.Datetime(string="Baseline Computed On", readonly=True, copy=False)
    latency_degraded = fields.Boolean(
        string="Latency Degraded",
        readonly=True,
        copy=False,
        index=True,
        help="The last successful probes (3 by default) all took more than twice (by default) "
        "the baseline.",
    )
    latency_degraded_since = fields.Datetime(readonly=True, copy=False)

    def _latency_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        try:
            days = int(params.get_param("white_label_tenant.latency_baseline_days", "7"))
            factor = float(params.get_param("white_label_tenant.latency_degraded_factor", "2"))
            sustained = int(params.get_param("white_label_tenant.latency_sustained_probes", "3"))
            check_settings(factor, sustained)
            if days < 1:
                raise ValueError(days)
        except ValueError as exc:
            raise UserError(
                self.env._(
                    "The latency settings are invalid (%(reason)s): latency_baseline_days must be "
                    "a whole number of days of 1 or more, latency_degraded_factor a number above "
                    "1 and latency_sustained_probes a whole number of 1 or more (System "
                    "Parameters, white_label_tenant.*).",
                    reason=str(exc),
                )
            ) from exc
        return days, factor, sustained

    def _latency_check(self, now):
        """Refresh stale baselines, then flag or clear sustained degradation; a change posts
        once on the environment. Three queries for the whole batch."""
        if not self:
            return
        days, factor, sustained = self._latency_settings()
        Sample = self.env["tenant.uptime.sample"]
        Sample.flush_model(["environment_id", "probed_at", "ok", "latency_ms"])
        stale = self.filtered(
            lambda e: not e.latency_baseline_at or e.latency_baseline_at <= now - BASELINE_REFRESH
        )
        if stale:
            self.env.cr.execute(
                """SELECT environment_id, array_agg(latency_ms) FROM tenant_uptime_sample
                    WHERE environment_id IN %s AND ok AND latency_ms IS NOT NULL
                      AND probed_at > %s AND probed_at <= %s
                 GROUP BY environment_id""",
                [tuple(stale.ids), now - timedelta(days=days), now],
            )
            values = dict(self.env.cr.fetchall())
            rows = []
            for env in stale:
                measured = baseline(values.get(env.id, []), BASELINE_MIN_SAMPLES)
                rows.append(
                    (
                        env.id,
                        measured.median if measured else 0.0,
                        measured.p95 if measured else 0.0,
                        now,
                    )
                )
            self._write_latency_baselines(rows)
        self.env.cr.execute(
            """SELECT environment_id, latency_ms FROM (
                   SELECT environment_id, latency_ms, row_number() OVER (
                          PARTITION BY environment_id ORDER BY probed_at DESC, id DESC) AS rank
                     FROM tenant_uptime_sample
                    WHERE environment_id IN %s AND ok AND latency_ms IS NOT NULL
                      AND probed_at > %s AND probed_at <= %s) AS recent
                WHERE rank <= %s ORDER BY environment_id, rank""",
            [tuple(self.ids), now - timedelta(days=1), now, sustained],
        )
        recent = {}
        for env_id, latency in self.env.cr.fetchall():
            recent.setdefault(env_id, []).append(latency)
        for env in self:
            degraded = is_degraded(
                recent.get(env.id, []), env.latency_baseline_ms, factor, sustained
            )
            if degraded == env.latency_degraded:
                continue
            env._workflow_write(
                {"latency_degraded": degraded, "latency_degraded_since": now if degraded else False}
            )
            env.message_post(
                body=Markup("<p>%s</p>")
                % (
                    self.env._(
                        "Latency degraded: the last %(n)s probes all took more than %(factor)s x "
                        "the baseline of %(baseline)s ms (last: %(last)s ms).",
                        n=sustained,
                        factor=factor,
                        baseline=round(env.latency_baseline_ms, 1),
                        last=round(recent[env.id][0], 1),
                    )
                    if degraded
                    else self.env._(
                        "Latency back to normal (baseline %(baseline)s ms).",
                        baseline=round(env.latency_baseline_ms, 1),
                    )
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _write_latency_baselines(self, rows):
        self.flush_model(["latency_baseline_ms", "latency_p95_ms", "latency_baseline_at"])
        execute_values(
            self.env.cr._obj,
            f"""UPDATE tenant_environment AS t
                   SET latency_baseline_ms = v.median, latency_p95_ms = v.p95,
                       latency_baseline_at = v.computed,
                       write_date = now() AT TIME ZONE 'UTC', write_uid = {int(self.env.uid)}
                  FROM (VALUES %s) AS v(id, median, p95, computed)
                 WHERE t.id = v.id""",
            rows,
            template="(%s, %s::float, %s::float, %s::timestamp)",
            page_size=1000,
        )
        self.invalidate_recordset(
            [
                "latency_baseline_ms",
                "latency_p95_ms",
                "latency_baseline_at",
                "write_date",
                "write_uid",
            ]
        )
