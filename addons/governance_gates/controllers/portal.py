from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..core import evidence

_ERROR_KEY = "governance_gate_portal_error"


class GovernanceGatePortal(CustomerPortal):
    """The partner follows the gates of its deals, projects and membership, and ticks the items
    that are its to tick. Access: record rules (own commercial partner) + _document_check_access.
    Partners never approve nor waive: no route does either."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "gate_count" in counters:
            values["gate_count"] = request.env["governance.gate"].search_count([])
        return values

    @http.route(["/my/gates"], type="http", auth="user", website=True, readonly=True)
    def portal_my_gates(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="gates",
            gates=request.env["governance.gate"].search([], order="state, id desc"),
        )
        return request.render("governance_gates.portal_my_gates", values)

    @http.route(["/my/gates/<int:gate_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_gate(self, gate_id, **kw):
        try:
            gate = self._document_check_access("governance.gate", gate_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="gate",
            gate=gate,
            # approvals are shown read-only (portal users have no access to the model)
            approvals=gate.sudo().approval_ids,
            # the message of the last refused tick, kept server side: never taken from the URL
            error=request.session.pop(_ERROR_KEY, None),
            evidence_accept=",".join(evidence.allowed_extensions()),
        )
        return request.render("governance_gates.portal_my_gate", values)

    @http.route(
        ["/my/gates/<int:gate_id>/tick/<int:line_id>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_gate_tick(self, gate_id, line_id, evidence_note=None, evidence_file=None, **kw):
        # the CSRF token is checked by the route (POST, csrf=True by default)
        try:
            gate = self._document_check_access("governance.gate", gate_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        line = gate.line_ids.filtered(lambda line: line.id == line_id)
        if not line:
            return request.redirect("/my")
        # sudo keeps the portal user as env.user: action_tick refuses items not theirs to tick
        line = line.sudo()
        try:
            # a refused tick changes nothing: neither the note nor the file stay
            with request.env.cr.savepoint():
                if not line.portal_tickable:
                    raise UserError(request.env._("This item is not yours to tick."))
                if evidence_note:
                    line.write({"evidence_note": evidence_note})
                if evidence_file and getattr(evidence_file, "filename", None):
                    # read one byte past the limit: enough to refuse, never all of a huge file
                    data = evidence_file.read(line._evidence_max_bytes() + 1)
                    line._attach_evidence_file(evidence_file.filename, data)
                line.action_tick()
        except UserError as exc:
            request.session[_ERROR_KEY] = exc.args[0]
        return request.redirect(f"/my/gates/{gate.id}")
