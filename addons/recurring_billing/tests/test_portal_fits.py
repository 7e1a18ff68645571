from odoo.tests import HttpCase, tagged

# the demo portal logins (README); each walks every portal page of the suite
DEMO_PORTAL_LOGINS = (
    "portal.partner@example.com",
    "portal.harbor@example.com",
    "portal.hosting@example.com",
)


class PortalFitsCase(HttpCase):
    """Every portal page of the four modules, as each demo portal user, shows its heading and
    is no wider than the screen (static/tests/tours/portal_fits_tour.js), at the browser size
    of the test class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = cls.env["res.users"].search([("login", "in", DEMO_PORTAL_LOGINS)])
        for user in cls.users:
            user.password = user.login  # start_tour logs in with the login as password
        cls.branding = cls.env["tenant.branding"].search(
            [("status_page_published", "=", True), ("status_page_slug", "!=", False)], limit=1
        ) or cls.env["tenant.branding"].create(
            {
                "partner_id": cls.users[:1].partner_id.commercial_partner_id.id,
                "brand_name": "Fits Cloud",
                "status_page_published": True,
                "status_page_slug": "fits-cloud",
            }
        )

    def _walk_every_portal_page(self):
        self.assertEqual(len(self.users), len(DEMO_PORTAL_LOGINS), "a demo portal login is gone")
        for user in self.users:
            with self.subTest(login=user.login):
                # a dozen pages in one tour: more than start_tour's default minute on a busy box
                self.start_tour("/my", "partner_channel_portal_fits", login=user.login, timeout=240)

    def _walk_status_page(self):
        self.start_tour(
            f"/status/{self.branding.status_page_slug}", "partner_channel_status_page_fits"
        )


@tagged("post_install", "-at_install")
class TestPortalFitsDesktop(PortalFitsCase):
    browser_size = "1440x900"

    def test_every_portal_page_fits_for_each_demo_login(self):
        self._walk_every_portal_page()

    def test_public_status_page_fits(self):
        self._walk_status_page()


@tagged("post_install", "-at_install")
class TestPortalFitsPhone(PortalFitsCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_every_portal_page_fits_for_each_demo_login(self):
        self._walk_every_portal_page()

    def test_public_status_page_fits(self):
        self._walk_status_page()
