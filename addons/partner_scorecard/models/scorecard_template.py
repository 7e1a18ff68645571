from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..core.scoring import check_weights, reweight_without
from .scorecard_metric import METRIC_DOMAINS


class ScorecardTemplate(models.Model):
    """Which metrics score a partner type, with their weights and targets."""

    _name = "scorecard.template"
    _description = "Scorecard Template"
    _inherit = ["mail.thread"]
    _order = "partner_type_id, id"

    name = fields.Char(required=True, translate=True)
    partner_type_id = fields.Many2one(
        "partner.type",
        string="Partner Type",
        required=True,
        index=True,
        tracking=True,
        ondelete="cascade",  # for the uninstall; users are stopped by the type's guard
    )
    line_ids = fields.One2many(
        "scorecard.template.line", "template_id", string="Metrics", copy=True
    )
    domain_weight_ids = fields.One2many(
        "scorecard.template.domain", "template_id", string="Domain Weights", copy=True
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    metric_count = fields.Integer(compute="_compute_metric_count")

    _sql_constraints = [
        (
            "type_company_unique",
            "unique(partner_type_id, company_id, active)",
            "A partner type has one active template per company.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # the template's own constraint checks the lines it saves with it
        templates = super(
            ScorecardTemplate, self.with_context(scorecard_template_saving=True)
        ).create(vals_list)
        templates._mark_scorecards_for_recompute()
        return templates.with_env(self.env)  # the flag must not travel with the new records

    def write(self, vals):
        before = self.partner_type_id
        result = super(ScorecardTemplate, self.with_context(scorecard_template_saving=True)).write(
            vals
        )
        self._mark_scorecards_for_recompute(before)
        return result

    def _mark_scorecards_for_recompute(self, partner_types=None):
        """Open scorecards of these templates' partner types are computed again by the next cron
        run, the same day included: a template edit shows today, not tomorrow."""
        types = (partner_types or self.env["partner.type"]) | self.partner_type_id
        if types:
            self.env["partner.scorecard"]._mark_for_recompute(
                [("partner_type_id", "in", types.ids)]
            )

    def _check_weights_after_child_change(self):
        """Check the weights when a line or a domain weight was saved on its own (RPC, import).

        Saved through the template, the template's constraint runs once all its children are in
        place; saved directly, nothing else would check that the weights still add up.
        """
        if not self.env.context.get("scorecard_template_saving"):
            templates = self.exists()
            templates._check_weights()
            templates._mark_scorecards_for_recompute()

    @api.depends("line_ids")
    def _compute_metric_count(self):
        for template in self:
            template.metric_count = len(template.line_ids)

    @api.constrains("line_ids", "domain_weight_ids", "partner_type_id")
    def _check_weights(self):
        labels = dict(METRIC_DOMAINS)
        for template in self:
            if not template.line_ids:
                raise ValidationError(
                    self.env._(
                        "Template %(name)s has no metric: add at least one.", name=template.name
                    )
                )
            metrics = template.line_ids.metric_id
            if len(metrics) != len(template.line_ids):
                raise ValidationError(
                    self.env._(
                        "Template %(name)s lists a metric twice: keep one line per metric.",
                        name=template.name,
                    )
                )
            problems = check_weights(
                [(line.metric_id.domain, line.weight) for line in template.line_ids],
                {d.domain: d.weight for d in template.domain_weight_ids},
            )
            if problems:
                messages = [self._weight_problem_message(p, labels) for p in problems]
                raise ValidationError(
                    self.env._("Template %(name)s cannot be saved:", name=template.name)
                    + "\n- "
                    + "\n- ".join(messages)
                )

    def set_domain_metrics(self, domain, weights):
        """Replace the metrics of one domain on these templates.

        ``weights`` maps metric ids (or XML ids) to their weight within ``domain``; the other
        domains' metrics are left alone. Modules that add metrics (tenants, billing, gates) use it
        to put them on the templates; the weights are checked on save as for any edit.
        """
        metric_ids = {
            self.env.ref(metric).id if isinstance(metric, str) else metric: weight
            for metric, weight in weights.items()
        }
        strangers = (
            self.env["scorecard.metric"]
            .browse(metric_ids)
            .filtered(lambda metric: metric.domain != domain)
        )
        if strangers:
            raise ValidationError(
                self.env._(
                    "Metrics %(metrics)s do not belong to the domain %(domain)s: give each domain "
                    "its own metrics.",
                    metrics=", ".join(strangers.mapped("name")),
                    domain=dict(METRIC_DOMAINS).get(domain, domain),
                )
            )
        for template in self:
            template.write(
                {
                    "line_ids": [
                        *(
                            Command.unlink(line.id)
                            for line in template.line_ids
                            if line.domain == domain
                        ),
                        *(
                            Command.create({"metric_id": metric_id, "weight": weight})
                            for metric_id, weight in metric_ids.items()
                        ),
                    ]
                }
            )
        return True

    def _drop_metrics(self, metrics):
        """Take ``metrics`` off the templates that use them (their module is being uninstalled).

        The other metrics of a domain share its weight again in the same proportions; a domain
        left without metric is dropped and the other domains share its weight the same way, so
        every template still adds up. A template left with no metric at all keeps its lines
        until the database removes them with the metrics.
        """
        lines = self.env["scorecard.template.line"].search([("metric_id", "in", metrics.ids)])
        for template in lines.template_id:
            dropped = template.line_ids & lines
            kept = template.line_ids - dropped
            if not kept:
                continue
            commands = [Command.unlink(line.id) for line in dropped]
            for domain in set(dropped.mapped("domain")):
                in_domain = template.line_ids.filtered(lambda line, d=domain: line.domain == d)
                weights = reweight_without(
                    {line.id: line.weight for line in in_domain}, set(dropped.ids)
                )
                commands += [Command.update(key, {"weight": w}) for key, w in weights.items()]
            empty = set(dropped.mapped("domain")) - set(kept.mapped("domain"))
            domain_weights = reweight_without(
                {d.domain: d.weight for d in template.domain_weight_ids}, empty
            )
            template.write(
                {
                    "line_ids": commands,
                    "domain_weight_ids": [
                        Command.unlink(d.id)
                        if d.domain in empty
                        else Command.update(
                            d.id, {"weight": domain_weights.get(d.domain, d.weight)}
                        )
                        for d in template.domain_weight_ids
                    ],
                }
            )

    def _weight_problem_message(self, problem, labels):
        kind, domain, value = problem
        label = labels.get(domain, domain)
        shown = "" if value is None else f"{value:g}"
        messages = {
            "metric_sum": self.env._(
                "Weight of the metrics of %(domain)s adds up to %(value)s, it must be 100.",
                domain=label,
                value=shown,
            ),
            "missing_domain_weight": self.env._(
                "%(domain)s has metrics but no domain weight: add it under Domain Weights.",
                domain=label,
            ),
            "domain_without_metric": self.env._(
                "%(domain)s has a domain weight but no metric: add a metric or remove the weight.",
                domain=label,
            ),
            "domain_sum": self.env._(
                "Domain Weights add up to %(value)s, they must add up to 100.", value=shown
            ),
            "negative_weight": self.env._("A Weight in %(domain)s is negative.", domain=label),
            "not_finite": self.env._(
                "A Weight in %(domain)s is not a finite number: enter a number between 0 and 100.",
                domain=label,
            ),
        }
        return messages[kind]
