import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core.continuity import frequency_delta
from ..core.retention import RetentionRules
from ..core.sla_clock import BusinessSchedule
from .tenant_sla_target import check_finite

# Once active, a version is a contract: only these fields may still change.
MUTABLE_WHEN_ACTIVE = {"state", "active", "display_name"}


class TenantSlaPolicyVersion(models.Model):
    """The terms of a policy from a date on. Active versions never change: edit = new version."""

    _name = "tenant.sla.policy.version"
    _description = "SLA Policy Version"
    _order = "policy_id, version desc"

    policy_id = fields.Many2one("tenant.sla.policy", required=True, index=True, ondelete="cascade")
    version = fields.Integer(required=True, default=0, readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("retired", "Retired")],
        required=True,
        default="draft",
        index=True,
    )
    effective_from = fields.Datetime(required=True, default=fields.Datetime.now)
    business_hours = fields.Boolean(
        default=True, help="Count response and resolution times in the calendar's working hours."
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        help="Business hours and public holidays (global leaves) the SLA clocks run on.",
    )
    warning_thresholds = fields.Char(
        default="50,75",
        required=True,
        help="Percentages of a target at which a warning is raised, comma-separated.",
    )
    uptime_slo = fields.Float(string="Uptime SLO (%)", default=99.9, digits=(6, 3))
    rpo_minutes = fields.Float(string="RPO (min)", default=1440)
    rto_minutes = fields.Float(string="RTO (min)", default=240)
    backup_frequency = fields.Float(
        string="Backup Every",
        default=24,
        help="The scheduled backups take each environment of the policy this often (at least "
        "every 15 minutes: the scheduled action runs every 15 minutes).",
    )
    backup_frequency_unit = fields.Selection(
        [("minutes", "Minutes"), ("hours", "Hours")], default="hours", required=True
    )
    backup_retention_days = fields.Integer(
        string="Keep Every Backup (days)",
        default=2,
        help="Every backup taken under this version is kept this many days, whatever their "
        "number (the restore points of the last days); after that the retention rules below "
        "keep the newest backup of each day, week and month.",
    )
    retention_daily_days = fields.Integer(
        string="Keep Daily Backups (days)",
        default=14,
        help="Retention rules: the newest backup of each day is kept this many days.",
    )
    retention_weekly_weeks = fields.Integer(
        string="Keep Weekly Backups (weeks)",
        default=8,
        help="Retention rules: the newest backup of each ISO week is kept this many weeks.",
    )
    retention_monthly_months = fields.Integer(
        string="Keep Monthly Backups (months)",
        default=12,
        help="Retention rules: the newest backup of each month is kept this many months.",
    )
    dr_drill_interval_days = fields.Integer(
        string="DR Drill Every (days)",
        default=90,
        help="A production environment needs a passed disaster-recovery drill at least this often.",
    )
    restore_test_validity_days = fields.Integer(
        string="Restore Test Valid For (days)",
        default=30,
        help="A passed restore test older than this no longer verifies a go-live or a promotion.",
    )
    target_ids = fields.One2many("tenant.sla.target", "version_id", string="Targets", copy=True)
    incident_count = fields.Integer(compute="_compute_incident_count")
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("version_uniq", "unique (policy_id, version)", "A policy cannot have two equal versions."),
    ]

    @api.depends("policy_id.name", "version")
    def _compute_display_name(self):
        for version in self:
            version.display_name = f"{version.policy_id.name} v{version.version}"

    def _compute_incident_count(self):
        groups = self.env["tenant.incident"]._read_group(
            [("sla_version_id", "in", self.ids)], ["sla_version_id"], ["__count"]
        )
        counts = {version.id: count for version, count in groups}
        for version in self:
            version.incident_count = counts.get(version.id, 0)

    def _get_thresholds(self):
        self.ensure_one()
        return tuple(
            float(part) / 100.0 for part in self.warning_thresholds.split(",") if part.strip()
        )

    @api.constrains(
        "warning_thresholds",
        "uptime_slo",
        "business_hours",
        "calendar_id",
        "restore_test_validity_days",
        "rpo_minutes",
        "rto_minutes",
        "backup_frequency",
        "backup_frequency_unit",
        "backup_retention_days",
        "retention_daily_days",
        "retention_weekly_weeks",
        "retention_monthly_months",
        "dr_drill_interval_days",
    )
    def _check_terms(self):
        positive = {
            "rpo_minutes": self.env._("RPO (min)"),
            "rto_minutes": self.env._("RTO (min)"),
            "backup_frequency": self.env._("Backup Every"),
        }
        for version in self:
            for field_name, label in positive.items():
                value = version[field_name]
                # NaN compares false with everything: test finiteness before the sign
                if not math.isfinite(value) or value <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a positive, finite number, not %(value)s.",
                            field=label,
                            value=value,
                        )
                    )
            if version._backup_frequency().total_seconds() < 15 * 60:
                raise ValidationError(
                    self.env._(
                        "%(policy)s: Backup Every must be at least 15 minutes (the scheduled "
                        "backups run every 15 minutes), not %(value)s %(unit)s.",
                        policy=version.display_name,
                        value=version.backup_frequency,
                        unit=dict(
                            self._fields["backup_frequency_unit"]._description_selection(self.env)
                        )[version.backup_frequency_unit],
                    )
                )
            if version.backup_retention_days <= 0:
                raise ValidationError(
                    self.env._(
                        "%(policy)s: Keep Every Backup (days) must be at least 1 day (e.g. 2), "
                        "not %(days)s.",
                        policy=version.display_name,
                        days=version.backup_retention_days,
                    )
                )
            version._check_retention_rules()
            if version.restore_test_validity_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Restore Test Valid For (days) must be at least 1 day (e.g. 30), "
                        "not %(days)s.",
                        days=version.restore_test_validity_days,
                    )
                )
            try:
                thresholds = version._get_thresholds()
            except ValueError:
                thresholds = None
            if thresholds is None or any(not 0 < t < 1 for t in thresholds):
                raise ValidationError(
                    self.env._(
                        "Warning Thresholds must be percentages between 0 and 100 separated by "
                        "commas (e.g. 50,75), not %(value)s.",
                        value=version.warning_thresholds,
                    )
                )
            if not 0 < version.uptime_slo < 100:
                raise ValidationError(
                    self.env._("Uptime SLO (%) must lie strictly between 0 and 100 (e.g. 99.9).")
                )
            calendar = version.calendar_id
            worked = calendar.attendance_ids.filtered(lambda a: a.hour_to > a.hour_from)
            if version.business_hours and calendar and not calendar.flexible_hours and not worked:
                raise ValidationError(
                    self.env._(
                        "%(policy)s: Working Hours %(calendar)s have no working time; SLA "
                        "deadlines would never come. Add attendances to the calendar.",
                        policy=version.display_name,
                        calendar=calendar.display_name,
                    )
                )
            if version.business_hours and calendar.flexible_hours:
                raise ValidationError(
                    self.env._(
                        "%(policy)s: Working Hours %(calendar)s have Flexible Hours (no fixed "
                        "attendance); SLA clocks need fixed working hours. Choose another "
                        "calendar or untick Business Hours.",
                        policy=version.display_name,
                        calendar=calendar.display_name,
                    )
                )
            if version.business_hours and not version.calendar_id:
                raise ValidationError(
                    self.env._(
                        "%(policy)s: a business-hours policy needs Working Hours (a calendar); "
                        "set one or untick Business Hours.",
                        policy=version.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_finite(self, vals)
            if vals.get("policy_id") and not vals.get("version"):
                last = self.search(
                    [("policy_id", "=", vals["policy_id"])], order="version desc", limit=1
                )
                vals["version"] = (last.version or 0) + 1
        return super().create(vals_list)

    def write(self, vals):
        check_finite(self, vals)
        if set(vals) - MUTABLE_WHEN_ACTIVE and self.filtered(lambda v: v.state != "draft"):
            raise UserError(
                self.env._(
                    "An active SLA policy version is a contract and cannot change: use New "
                    "Version to change its terms from a date on."
                )
            )
        return super().write(vals)

    def action_activate(self):
        for version in self:
            if not version.target_ids:
                raise UserError(
                    self.env._(
                        "%(policy)s has no targets: add a first-response and resolution target "
                        "per priority before activating it.",
                        policy=version.display_name,
                    )
                )
            version.state = "active"
        return True

    def action_retire(self):
        self.write({"state": "retired"})
        return True

    def action_new_version(self):
        """Copy these terms into a new draft version, effective from now."""
        self.ensure_one()
        new = self.copy({"state": "draft", "effective_from": fields.Datetime.now()})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def _check_retention_rules(self):
        rules = {
            "retention_daily_days": (self.env._("Keep Daily Backups (days)"), 14),
            "retention_weekly_weeks": (self.env._("Keep Weekly Backups (weeks)"), 8),
            "retention_monthly_months": (self.env._("Keep Monthly Backups (months)"), 12),
            "dr_drill_interval_days": (self.env._("DR Drill Every (days)"), 90),
        }
        for field_name, (label, example) in rules.items():
            if self[field_name] <= 0:
                raise ValidationError(
                    self.env._(
                        "%(policy)s: %(field)s must be a positive whole number (e.g. %(example)s), "
                        "not %(value)s.",
                        policy=self.display_name,
                        field=label,
                        example=example,
                        value=self[field_name],
                    )
                )

    def _retention_rules(self):
        """The grandfather-father-son retention rules of these terms (``RetentionRules``)."""
        self.ensure_one()
        return RetentionRules(
            self.retention_daily_days,
            self.retention_weekly_weeks,
            self.retention_monthly_months,
            self.backup_retention_days,
        )

    def _backup_frequency(self):
        """How often the scheduled backups take an environment under these terms (timedelta)."""
        self.ensure_one()
        return frequency_delta(self.backup_frequency, self.backup_frequency_unit)

    def _get_schedule(self, date_from, date_to):
        """The business schedule the clocks of this version run on."""
        self.ensure_one()
        if not self.business_hours:
            return BusinessSchedule({day: [(0.0, 24.0)] for day in range(7)}, "UTC")
        return self.calendar_id._tenant_business_schedule(date_from, date_to)
