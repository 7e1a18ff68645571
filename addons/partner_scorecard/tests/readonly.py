"""What the suite's tests of read-only routes share (not a test module: imported by them)."""


class ReadOnlyRouteMixin:
    """A page served on a read-only cursor (``readonly=True``: a deployment with
    ``db_replica_host`` serves it from the standby) must not write: Odoo would roll back, log
    "...read-only transaction, retrying with a read/write cursor" and serve it from the primary.
    In tests the cursor of a read-only route is read-only too (``SET TRANSACTION READ ONLY``).
    For an ``HttpCase``."""

    def assertReadOnlyPage(self, path, expected=None):
        routes = self.env["ir.http"].routing_map().bind("")
        rule, _args = routes.match(path.split("?")[0], return_rule=True)
        self.assertIs(rule.endpoint.routing["readonly"], True, f"{path} is not read-only")
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open(path)
        self.assertEqual(response.status_code, 200, path)
        if expected:
            self.assertIn(expected, response.text, f"{path} does not show {expected!r}")
        return response
