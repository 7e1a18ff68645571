from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.governance_gates.core import evidence as evidence_core
from odoo.addons.partner_scorecard.core.numbers import number_problem, parse_number
from odoo.addons.portal.controllers.portal import CustomerPortal

_SESSION_KEY = "recurring_billing_mdf_error"


class MdfPortal(CustomerPortal):
    """A partner's marketing development funds: budget left, claims and their status, and the
    form that submits a claim with its evidence.

    Reads go through the record rules (own commercial partner only). A claim is always submitted
    for the user's own commercial partner (never a partner taken from the form), in one
    savepoint: the claim and its evidence are created together or not at all.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "mdf_claim_count" in counters:
            values["mdf_claim_count"] = request.env["billing.mdf.claim"].search_count(
                self._mdf_claim_domain()
            )
        return values

    def _mdf_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _mdf_claim_domain(self):
        return [("partner_id", "=", self._mdf_partner().id)]

    def _mdf_values(self, **extra):
        partner = self._mdf_partner()
        values = self._prepare_portal_layout_values()
        today = fields.Date.context_today(request.env.user)
        funds = request.env["billing.mdf.fund"].search([("partner_id", "=", partner.id)])
        values.update(
            page_name="mdf",
            funds=funds,
            current_fund=funds.filtered(lambda f: f.date_start <= today <= f.date_end)[:1],
            claims=request.env["billing.mdf.claim"].search(self._mdf_claim_domain()),
            tier=partner.sudo().channel_tier_id,
            today=today,
            accept=",".join(evidence_core.allowed_extensions()),
            error=request.session.pop(_SESSION_KEY, None),
            posted={},
        )
        values.update(extra)
        return values

    @http.route(["/my/mdf"], type="http", auth="user", website=True, readonly=True)
    def portal_my_mdf(self, **kw):
        return request.render("recurring_billing.portal_my_mdf", self._mdf_values())

    @http.route(
        ["/my/mdf/claims/<int:claim_id>"], type="http", auth="user", website=True, readonly=True
    )
    def portal_my_mdf_claim(self, claim_id, **kw):
        try:
            claim = self._document_check_access("billing.mdf.claim", claim_id)
        except (AccessError, MissingError):
            return request.redirect("/my/mdf")
        values = self._mdf_values(claim=claim)
        return request.render("recurring_billing.portal_my_mdf_claim", values)

    @http.route(["/my/mdf/claims"], type="http", auth="user", website=True, methods=["POST"])
    def portal_submit_mdf_claim(self, **post):
        partner = self._mdf_partner()
        env = request.env
        posted = {
            key: post.get(key, "")
            for key in ("name", "amount", "activity_date", "payment_method", "description")
        }
        try:
            vals = self._mdf_claim_vals(posted, partner)
            upload = post.get("evidence")
            evidence = self._mdf_evidence(upload)
            with env.cr.savepoint():
                claim = env["billing.mdf.claim"].sudo().with_company(env.company).create(vals)
                attachments = (
                    env["ir.attachment"]
                    .sudo()
                    .create(
                        [
                            {
                                "name": name,
                                "raw": data,
                                "res_model": "billing.mdf.claim",
                                "res_id": claim.id,
                            }
                            for name, data in evidence
                        ]
                    )
                )
                claim.write({"evidence_ids": [fields.Command.set(attachments.ids)]})
                # the gate opened with the claim: its evidence check now passes
                for gate in claim.gate_ids.filtered(lambda g: g.state == "open"):
                    gate._gate_evaluate()
        except (UserError, ValidationError) as error:
            values = self._mdf_values(error=str(error.args[0]), posted=posted)
            return request.render("recurring_billing.portal_my_mdf", values)
        return request.redirect(f"/my/mdf/claims/{claim.id}")

    def _mdf_claim_vals(self, posted, partner):
        name = posted["name"].strip()
        if not name:
            raise UserError(request.env._("Activity: name the marketing activity you claim for."))
        amount = parse_number(posted["amount"])
        problem = number_problem(amount) if amount is not None else request.env._("is not a number")
        if problem:
            raise UserError(
                request.env._(
                    "Amount: %(value)s %(problem)s.", value=posted["amount"], problem=problem
                )
            )
        try:
            activity_date = fields.Date.to_date(
                posted["activity_date"]
            ) or fields.Date.context_today(request.env.user)
        except ValueError:
            raise UserError(request.env._("Activity Date: give a date as YYYY-MM-DD.")) from None
        method = posted["payment_method"] or "vendor_bill"
        if method not in ("vendor_bill", "credit_note"):
            raise UserError(request.env._("Paid As: choose a vendor bill or a credit note."))
        return {
            "name": name,
            "partner_id": partner.id,
            "amount": amount,
            "activity_date": activity_date,
            "payment_method": method,
            "description": posted["description"].strip() or False,
        }

    def _mdf_evidence(self, upload):
        """``[(filename, bytes)]`` of the uploaded evidence, checked like gate evidence."""
        if not upload or not getattr(upload, "filename", None):
            raise UserError(
                request.env._("Evidence: attach a document or an image proving the activity.")
            )
        max_bytes = request.env["governance.gate.line"]._evidence_max_bytes()
        data = upload.read(max_bytes + 1)
        problem = evidence_core.check_evidence_file(
            upload.filename, len(data), guess_mimetype(data, default="") if data else "", max_bytes
        )
        if problem == "too_large":
            raise UserError(
                request.env._(
                    "Evidence: the file is too large, at most %(size)s MB.",
                    size=round(max_bytes / (1024 * 1024), 1),
                )
            )
        if problem:
            raise UserError(
                request.env._(
                    "Evidence: “%(name)s” is not accepted: attach a document or an image "
                    "(%(types)s) whose content matches its name.",
                    name=upload.filename,
                    types=", ".join(evidence_core.allowed_extensions()),
                )
            )
        return [(upload.filename, data)]
