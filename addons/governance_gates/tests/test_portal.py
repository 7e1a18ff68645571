from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestGatePortal(HttpCase):
    """Over HTTP: a partner sees only its own gates, ticks what is its to tick, never approves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_a = cls.env["res.partner"].create(
            {"name": "Portal Partner A", "is_company": True}
        )
        cls.partner_b = cls.env["res.partner"].create(
            {"name": "Portal Partner B", "is_company": True}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Paula", "parent_id": cls.partner_a.id, "email": "paula@a.example"}
        )
        new_test_user(
            cls.env,
            login="gov_portal_http",
            password="gov_portal_http1",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        Project = cls.env["project.project"]
        cls.project_a = Project.create(
            {
                "name": "Rollout A",
                "channel_partner_id": cls.partner_a.id,
                "implementation_phase": "build",
            }
        )
        cls.project_b = Project.create(
            {
                "name": "Rollout B",
                "channel_partner_id": cls.partner_b.id,
                "implementation_phase": "build",
            }
        )
        cls.gate_a = cls.project_a.gate_ids
        cls.gate_b = cls.project_b.gate_ids

    def test_portal_gates(self):
        self.authenticate("gov_portal_http", "gov_portal_http1")
        listing = self.url_open("/my/gates")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Rollout A", listing.text)
        self.assertNotIn("Rollout B", listing.text)
        own = self.url_open(f"/my/gates/{self.gate_a.id}")
        self.assertIn("Data migration signed off", own.text)
        other = self.url_open(f"/my/gates/{self.gate_b.id}", allow_redirects=False)
        self.assertEqual(other.status_code, 303)

        line = self.gate_a.line_ids.filtered(lambda line: line.name == "Data migration signed off")
        response = self.url_open(
            f"/my/gates/{self.gate_a.id}/tick/{line.id}",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "evidence_note": "Migration report v3 signed",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(line.done)
        self.assertEqual(line.evidence_note, "Migration report v3 signed")
        # not the partner's to tick
        backup = self.gate_a.line_ids.filtered(lambda line: line.name == "Backup restore verified")
        self.url_open(
            f"/my/gates/{self.gate_a.id}/tick/{backup.id}",
            data={"csrf_token": http.Request.csrf_token(self), "evidence_note": "trust us"},
            allow_redirects=False,
        )
        self.assertFalse(backup.done)
        # another partner's gate: refused
        line_b = self.gate_b.line_ids.filtered(
            lambda line: line.name == "Data migration signed off"
        )
        self.url_open(
            f"/my/gates/{self.gate_b.id}/tick/{line_b.id}",
            data={"csrf_token": http.Request.csrf_token(self), "evidence_note": "x"},
            allow_redirects=False,
        )
        self.assertFalse(line_b.done)
        # no RPC path to approve: the portal user cannot even read approvals
        approval = self.gate_a.approval_ids[:1]
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/governance.gate.approval/action_approve",
                {
                    "model": "governance.gate.approval",
                    "method": "action_approve",
                    "args": [approval.ids],
                    "kwargs": {},
                },
            )
        self.assertNotEqual(approval.state, "approved")

    def _line_a(self, name):
        return self.gate_a.line_ids.filtered(lambda line: line.name == name)

    def _tick(self, line, data=None, files=None, csrf=True):
        payload = dict(data or {})
        if csrf:
            payload["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(
            f"/my/gates/{self.gate_a.id}/tick/{line.id}",
            data=payload,
            files=files,
            allow_redirects=False,
        )

    def test_user_text_is_escaped(self):
        """Evidence typed by the partner is shown as text, on the page and in the chatter."""
        self.authenticate("gov_portal_http", "gov_portal_http1")
        line = self._line_a("Data migration signed off")
        self._tick(line, {"evidence_note": "<script>alert('gate')</script> signed"})
        self.assertTrue(line.done)
        page = self.url_open(f"/my/gates/{self.gate_a.id}").text
        self.assertNotIn("<script>alert('gate')</script>", page)
        self.assertIn("&lt;script&gt;alert(", page)
        body = self.gate_a.message_ids[0].body
        self.assertNotIn("<script>", body)
        self.assertIn("&lt;script&gt;", body)

    def test_error_message_never_taken_from_the_url(self):
        self.authenticate("gov_portal_http", "gov_portal_http1")
        page = self.url_open(f"/my/gates/{self.gate_a.id}?error=Your+account+is+locked").text
        self.assertNotIn("Your account is locked", page)
        # a refused tick shows the server's own message
        backup = self._line_a("Backup restore verified")
        self._tick(backup, {"evidence_note": "trust us"})
        page = self.url_open(f"/my/gates/{self.gate_a.id}").text
        self.assertIn("This item is not yours to tick.", page)
        self.assertFalse(backup.evidence_note)

    def test_post_without_csrf_token_is_refused(self):
        self.authenticate("gov_portal_http", "gov_portal_http1")
        line = self._line_a("Data migration signed off")
        with mute_logger("odoo.http"):
            response = self._tick(line, {"evidence_note": "no token"}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(line.done)
        self.assertFalse(line.evidence_note)

    def test_evidence_upload_limited_in_size_and_type(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "governance_gates.evidence_max_bytes", "2048"
        )
        self.authenticate("gov_portal_http", "gov_portal_http1")
        line = self._line_a("Data migration signed off")
        refused = {
            "too large": ("report.pdf", b"%PDF-1.4\n" + b"0" * 4096, "too large"),
            "executable": ("setup.exe", b"MZ\x90\x00" + b"\x00" * 64, "not accepted"),
            "html page": ("proof.html", b"<html><script>alert(1)</script></html>", "not accepted"),
            "name that lies": ("photo.png", b"<svg onload='alert(1)'/>", "not accepted"),
        }
        for label, (filename, content, message) in refused.items():
            with self.subTest(label):
                self._tick(
                    line, {"evidence_note": "see file"}, {"evidence_file": (filename, content)}
                )
                self.assertFalse(line.done)
                self.assertFalse(line.attachment_ids)
                self.assertIn(message, self.url_open(f"/my/gates/{self.gate_a.id}").text)
        self._tick(
            line,
            {"evidence_note": "signed report"},
            {"evidence_file": ("report.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")},
        )
        self.assertTrue(line.done)
        self.assertEqual(line.attachment_ids.name, "report.pdf")
        self.assertEqual(line.attachment_ids.mimetype, "application/pdf")
