from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..core import units
from ..core.numbers import number_problem
from ..core.scoring import band_score, linear_score
from .ondelete_guard import check_not_in_use

METRIC_DOMAINS = [
    ("sales", "Sales Effectiveness"),
    ("implementation", "Implementation Quality"),
    ("revenue", "Recurring Revenue"),
    ("operations", "Operational Maturity"),
    ("customer", "Customer Value"),
    ("ecosystem", "Ecosystem Alignment"),
]
# Units whose raw values cannot be negative: a negative target or floor is a typo.
NON_NEGATIVE_UNITS = ("percent", "amount", "count", "days", "hours", "ratio")


class ScorecardMetric(models.Model):
    """What is measured, where its value comes from, and how a raw value becomes 0-100 points."""

    _name = "scorecard.metric"
    _description = "Scorecard Metric"
    _order = "domain, sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    domain = fields.Selection(METRIC_DOMAINS, required=True, index=True)
    unit = fields.Selection(
        [
            ("percent", "%"),
            ("amount", "Amount"),
            ("count", "Count"),
            ("days", "Days"),
            ("hours", "Hours"),
            ("ratio", "Ratio"),
            ("score", "Score"),
        ],
        required=True,
        default="percent",
    )
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True,
        default="higher",
    )
    scoring_method = fields.Selection(
        [("linear", "Linear between floor and target"), ("bands", "Bands")],
        required=True,
        default="linear",
    )
    target = fields.Float(help="Raw value worth 100 points (linear scoring).")
    floor = fields.Float(help="Raw value worth 0 points (linear scoring).")
    band_ids = fields.One2many("scorecard.metric.band", "metric_id", string="Bands", copy=True)
    provider = fields.Selection(
        selection="_selection_provider",
        required=True,
        default="manual",
        help="Where the raw value comes from. Modules add providers to the registry "
        "(partner.scorecard.provider).",
    )
    allow_negative = fields.Boolean(
        string="Negative Values Allowed",
        compute="_compute_allow_negative",
        store=True,
        readonly=False,
        help="Raw values may be below zero (a net promoter score). Otherwise a negative value "
        "entered or imported is refused.",
    )
    is_recurring_revenue = fields.Boolean(
        string="Counts as Recurring Revenue",
        help="The raw value of this metric is the partner's recurring revenue for the tiers' "
        "'Minimum Recurring Revenue' criterion.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: shared by every company of the database."
    )

    _sql_constraints = [("code_unique", "unique(code)", "The metric code must be unique.")]

    @api.depends("unit")
    def _compute_allow_negative(self):
        for metric in self:
            metric.allow_negative = metric.unit not in NON_NEGATIVE_UNITS

    @api.model
    def _selection_provider(self):
        return sorted(self.env["partner.scorecard.provider"]._get_providers().items())

    @api.constrains("provider")
    def _check_provider(self):
        known = self.env["partner.scorecard.provider"]._get_providers()
        for metric in self:
            if metric.provider not in known:
                raise ValidationError(
                    self.env._(
                        "Metric %(metric)s: unknown provider %(provider)r. Known providers: "
                        "%(known)s.",
                        metric=metric.code,
                        provider=metric.provider,
                        known=", ".join(sorted(known)),
                    )
                )

    @api.constrains("target", "floor", "unit", "scoring_method", "band_ids", "direction")
    def _check_scoring(self):
        for metric in self:
            for fname in ("target", "floor"):
                if number_problem(metric[fname], allow_negative=True):
                    raise ValidationError(
                        self.env._(
                            "Metric %(metric)s: %(field)s must be a finite number.",
                            metric=metric.code,
                            field=self._fields[fname].string,
                        )
                    )
            if metric.unit in NON_NEGATIVE_UNITS and (metric.target < 0 or metric.floor < 0):
                raise ValidationError(
                    self.env._(
                        "Metric %(metric)s: Target and Floor cannot be negative for a value "
                        "in %(unit)s.",
                        metric=metric.code,
                        unit=dict(self._fields["unit"].selection)[metric.unit],
                    )
                )
            if metric.scoring_method == "bands" and not metric.band_ids:
                raise ValidationError(
                    self.env._(
                        "Metric %(metric)s is scored by bands: add at least one band.",
                        metric=metric.code,
                    )
                )
            if metric.scoring_method == "linear" and metric.target == metric.floor:
                raise ValidationError(
                    self.env._(
                        "Metric %(metric)s: Target and Floor are equal, so no value could score "
                        "between 0 and 100. Set a Floor worth 0 points.",
                        metric=metric.code,
                    )
                )
            wrong_side = (
                metric.target < metric.floor
                if metric.direction == "higher"
                else metric.target > metric.floor
            )
            if metric.scoring_method == "linear" and wrong_side:
                raise ValidationError(
                    self.env._(
                        "Metric %(metric)s: with '%(direction)s' the Target must be on the better "
                        "side of the Floor.",
                        metric=metric.code,
                        direction=dict(self._fields["direction"].selection)[metric.direction],
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        check_not_in_use(
            self,
            [
                ("scorecard.template.line", "metric_id"),
                ("partner.scorecard.line", "metric_id"),
                ("partner.metric.value", "metric_id"),
            ],
        )

    def unlink(self):
        if self.env.context.get(MODULE_UNINSTALL_FLAG):
            # the module that ships these metrics goes: the templates keep adding up without them
            self.env["scorecard.template"].sudo()._drop_metrics(self)
        return super().unlink()

    def _score(self, raw, target=None, floor=None):
        """0-100 points for ``raw`` (None when the value is missing)."""
        self.ensure_one()
        if self.scoring_method == "bands":
            bands = [(band.threshold, band.score) for band in self.band_ids]
            return band_score(raw, bands, self.direction)
        return linear_score(
            raw,
            self.target if target is None else target,
            self.floor if floor is None else floor,
            self.direction,
        )

    def _format_value(self, value):
        """``value`` as a partner reads it: the unit's decimals and suffix, the language's
        separators, amounts in the company's currency (``6,250.00 €``, ``100 %``)."""
        self.ensure_one()
        currency = (self.company_id or self.env.company).currency_id
        if self.unit == "amount":
            return formatLang(self.env, value, currency_obj=currency)
        text = formatLang(self.env, value, digits=units.unit_digits(self.unit, value))
        return units.with_unit(text, self.unit)
