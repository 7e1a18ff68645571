from odoo import models


class PartnerMembership(models.Model):
    """The partner lifecycle (recruitment → ecosystem governance), each stage behind its gate."""

    _name = "partner.membership"
    _inherit = ["partner.membership", "governance.gate.mixin"]
    _gate_stage_field = "lifecycle_stage"
    _gate_guarded_stages = [
        "commercial_alignment",
        "technical_enablement",
        "go_live",
        "expansion",
        "ecosystem_governance",
    ]

    def _gate_partner(self):
        return self.partner_id.commercial_partner_id

    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks.update(
            account_manager=self.env._("Account manager assigned"),
            certified_consultants=self.env._("At least one consultant holds a valid certification"),
            won_deal=self.env._("At least one deal won"),
            live_project=self.env._("At least one implementation live"),
        )
        return checks

    def _gate_check_account_manager(self):
        self.ensure_one()
        return bool(self.account_manager_id)

    def _gate_check_certified_consultants(self):
        self.ensure_one()
        return bool(
            self.env["partner.certification"].search_count(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("consultant_id", "!=", False),
                    ("is_valid", "=", True),
                ],
                limit=1,
            )
        )

    def _gate_check_won_deal(self):
        self.ensure_one()
        return bool(
            self.env["crm.lead"].search_count(
                [
                    ("channel_partner_id", "child_of", self.partner_id.id),
                    ("stage_id.is_won", "=", True),
                ],
                limit=1,
            )
        )

    def _gate_check_live_project(self):
        self.ensure_one()
        return bool(
            self.env["project.project"].search_count(
                [
                    ("channel_partner_id", "child_of", self.partner_id.id),
                    ("implementation_phase", "in", ("live", "closed")),
                ],
                limit=1,
            )
        )
