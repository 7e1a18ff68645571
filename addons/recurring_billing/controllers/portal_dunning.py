from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class DunningPortal(CustomerPortal):
    @http.route(
        "/my/invoices/<int:invoice_id>/dispute",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_invoice_dispute(self, invoice_id, reason=None, access_token=None, **kw):
        """The partner disputes one of its own invoices: dunning will not suspend for it until a
        Billing Manager clears the dispute."""
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not invoice_sudo.billing_subscription_id:
            raise request.not_found()
        try:
            invoice_sudo._dunning_open_dispute(reason, request.env.user)
        except UserError as error:
            return request.redirect(
                invoice_sudo.get_portal_url(
                    query_string="&" + urlencode({"dispute_error": error.args[0]})
                )
            )
        return request.redirect(invoice_sudo.get_portal_url())
