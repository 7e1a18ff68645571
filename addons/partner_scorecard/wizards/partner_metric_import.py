import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..core.metric_import import parse


class PartnerMetricImport(models.TransientModel):
    """Import manual metric values from CSV: all rows or none, with every bad row listed."""

    _name = "partner.metric.import"
    _description = "Import Manual Metric Values"

    file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()
    imported_count = fields.Integer(readonly=True)

    def action_import(self):
        self.ensure_one()
        try:
            text = base64.b64decode(self.file).decode("utf-8")
        except (ValueError, UnicodeDecodeError) as error:
            raise UserError(
                self.env._("The CSV File must be UTF-8 text: %(error)s", error=error)
            ) from error
        company = self.env.company
        partners = {}
        for partner in self.env["res.partner"].search([("is_channel_partner", "=", True)]):
            partners[partner.name] = partner.id
            if partner.ref:
                partners[partner.ref] = partner.id
        manual = self.env["scorecard.metric"].search([("provider", "=", "manual")])
        metrics = {m.code: m.id for m in manual}
        signed = set(manual.filtered("allow_negative").mapped("code"))
        periods = {
            p.name: p.id
            for p in self.env["scorecard.period"].search(
                [("company_id", "=", company.id), ("state", "=", "open")]
            )
        }
        rows, errors = parse(text, partners, metrics, periods, signed=signed)
        if errors:
            raise UserError(
                self.env._(
                    "Nothing was imported: fix these rows and import the file again "
                    "(metrics must be manual metrics, periods must be open, values finite "
                    "numbers):\n%(rows)s",
                    rows="\n".join(f"line {line}: {message}" for line, message in errors),
                )
            )
        if not rows:
            raise UserError(self.env._("The CSV File has no data row."))
        Value = self.env["partner.metric.value"]
        existing = {
            (v.partner_id.id, v.metric_id.id, v.period_id.id): v
            for v in Value.search(
                [
                    ("partner_id", "in", list({r["partner_id"] for r in rows})),
                    ("period_id", "in", list({r["period_id"] for r in rows})),
                ]
            )
        }
        to_create = []
        for row in rows:
            value = existing.get((row["partner_id"], row["metric_id"], row["period_id"]))
            if value:
                value.write({"value": row["value"], "note": row["note"]})
            else:
                to_create.append(row)
        Value.create(to_create)
        self.imported_count = len(rows)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s values imported.", count=len(rows)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
