from odoo import fields, http
from odoo.http import request


class TenantStatusPage(http.Controller):
    """The public, partner-branded status page: published brands only; what it shows (groups,
    uptime bars, public incidents, maintenance) is the brand's ``_status_page_values``."""

    @http.route(
        "/status/<string:slug>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def status_page(self, slug, **kw):
        branding = request.env["tenant.branding"]._status_page_for_slug(slug)
        if not branding:
            raise request.not_found()
        return request.render(
            "white_label_tenant.status_page",
            branding._status_page_values(fields.Datetime.now()),
        )
