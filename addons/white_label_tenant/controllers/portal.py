from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.tenant_sla_target import PRIORITIES


class TenantPortal(CustomerPortal):
    """Partners' portal users: their tenants and incidents (the public status page per brand is
    controllers/status_page.py).

    Reads run as the portal user, so the record rules (by commercial partner) do the isolation;
    only the incident creation runs as superuser, after the tenant access check.
    """

    _items_per_page = 20

    def _tenant_page_values(self, tenant=None, incident=None):
        """What every tenant page shares: the breadcrumb records, named apart from the pages'
        loop variables, and the zone its times are shown in."""
        return {
            "page_name": "tenant",
            "breadcrumb_tenant": tenant,
            "breadcrumb_incident": incident,
            "tz_name": request.env.user.tz or "UTC",
        }

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Tenant = request.env["tenant.tenant"]
        if "tenant_count" in counters:
            values["tenant_count"] = Tenant.search_count([]) if Tenant.has_access("read") else 0
        return values

    @http.route(
        ["/my/tenants", "/my/tenants/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_tenants(self, page=1, **kw):
        Tenant = request.env["tenant.tenant"]
        total = Tenant.search_count([])
        pager = portal_pager(url="/my/tenants", total=total, page=page, step=self._items_per_page)
        tenants = Tenant.search([], limit=self._items_per_page, offset=pager["offset"])
        return request.render(
            "white_label_tenant.portal_my_tenants",
            # rows were filtered by the portal user's record rules; the end customer's name is
            # shown to its channel partner, whose users cannot read res.partner records of others
            {
                **self._tenant_page_values(),
                "tenants": tenants.sudo(),
                "pager": pager,
                "default_url": "/my/tenants",
            },
        )

    @http.route(
        "/my/tenants/<int:tenant_id>", type="http", auth="public", website=True, readonly=True
    )
    def portal_my_tenant(self, tenant_id, access_token=None, **kw):
        try:
            tenant = self._document_check_access("tenant.tenant", tenant_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        since = fields.Datetime.now() - timedelta(days=30)
        values = {
            **self._tenant_page_values(tenant),
            "tenant": tenant,
            "environments": tenant.environment_ids,
            "incidents": tenant.incident_ids.sorted("opened_at", reverse=True)[:10],
            "backups": request.env["tenant.backup"]
            .sudo()
            .search([("tenant_id", "=", tenant.id), ("started_at", ">=", since)], limit=10),
            "restore_tests": request.env["tenant.restore.test"]
            .sudo()
            .search([("tenant_id", "=", tenant.id)], limit=5),
            "priorities": PRIORITIES,
            # a flag for the template's fixed message: the URL's text is never shown
            "error": kw.get("error") == "subject",
        }
        return request.render("white_label_tenant.portal_my_tenant", values)

    @http.route(
        "/my/tenants/<int:tenant_id>/incidents/new",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_tenant_incident_new(self, tenant_id, subject="", description="", priority="3", **kw):
        try:
            tenant = self._document_check_access("tenant.tenant", tenant_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        subject = (subject or "").strip()
        if not subject or priority not in dict(PRIORITIES):
            return request.redirect(f"/my/tenants/{tenant.id}?error=subject")
        environment = tenant.environment_ids.filtered(
            lambda e: str(e.id) == str(kw.get("environment_id"))
        )[:1]
        incident = (
            request.env["tenant.incident"]
            .sudo()
            .create(
                {
                    "tenant_id": tenant.id,
                    "environment_id": environment.id or False,
                    "subject": subject[:200],
                    "description": description,
                    "priority": priority,
                    "source": "portal",
                }
            )
        )
        incident.message_subscribe(partner_ids=request.env.user.partner_id.ids)
        return request.redirect(incident.access_url)

    @http.route(
        "/my/incidents/<int:incident_id>", type="http", auth="public", website=True, readonly=True
    )
    def portal_my_incident(self, incident_id, access_token=None, **kw):
        try:
            incident = self._document_check_access("tenant.incident", incident_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render(
            "white_label_tenant.portal_my_incident",
            {
                **self._tenant_page_values(incident.tenant_id, incident),
                "incident": incident,
                "token": access_token,
            },
        )
