import json
from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import TenantCase

# Monday 7 December 2026, 09:00 in Brussels (UTC+1): inside the SLA calendar's business hours
MONDAY_9 = datetime(2026, 12, 7, 8, 0)


@tagged("post_install", "-at_install")
@freeze_time(MONDAY_9)
class TestIncidentGuards(TenantCase):
    """An incident's state, response and resolution times and SLA clocks change only through its
    actions and the SLA engine (issue 11): a plain write, whoever the caller, is refused, so a
    breach cannot be cleared nor a clock stopped by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.incident = cls.env["tenant.incident"].create(
            {"tenant_id": cls.tenant_a.id, "subject": "Invoices fail", "priority": "2"}
        )

    def _refused(self):
        later = MONDAY_9 + timedelta(hours=1)
        return [
            ("state", "resolved"),
            ("acknowledged_at", later),
            ("resolved_at", later),
            ("sla_outcome", "met"),
            ("response_status", "met"),
            ("resolution_status", "running"),
            ("resolution_deadline", MONDAY_9 + timedelta(days=30)),
            ("resolution_target_hours", 1000.0),
            ("paused_seconds", 36000.0),
            ("pause_started_at", MONDAY_9),
            ("sla_next_check_at", False),
            ("sla_version_id", False),
            ("is_open", False),
            ("opened_at", later),
            ("source", "probe"),
        ]

    def _snapshot(self):
        self.env.invalidate_all()
        return self.incident.read([name for name, _value in self._refused()])

    def test_plain_writes_are_refused_for_users_managers_and_sudo(self):
        before = self._snapshot()
        callers = {
            "Channel User": self.incident.with_user(self.channel_user),
            "Channel Manager": self.incident.with_user(self.manager),
            "sudo": self.incident.sudo(),
        }
        for who, incident in callers.items():
            for field, value in self._refused():
                with self.subTest(caller=who, field=field):
                    with self.assertRaises(AccessError) as caught:
                        incident.write({field: value})
                    self.assertIn(f"({field})", str(caught.exception))
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(self.incident.state, "new")
        self.assertEqual(self.incident.sla_outcome, "pending")

    def test_the_refusal_names_the_field_and_the_actions(self):
        with self.assertRaises(AccessError) as caught:
            self.incident.with_user(self.manager).write({"state": "closed"})
        message = str(caught.exception)
        self.assertIn("(state)", message)
        self.assertIn("Resolve", message)

    def test_create_with_a_clock_value_is_refused_opening_values_are_not(self):
        Incident = self.env["tenant.incident"].with_user(self.channel_user)
        base = {"tenant_id": self.tenant_a.id, "subject": "Already solved"}
        for field, value in (
            ("state", "closed"),
            ("sla_outcome", "met"),
            ("resolved_at", MONDAY_9),
            ("response_target_hours", 999.0),
        ):
            with self.subTest(field=field), self.assertRaises(AccessError) as caught:
                Incident.create({**base, field: value})
            self.assertIn(f"({field})", str(caught.exception))
        # a call taken an hour ago is recorded with its opening time: the clock starts then
        recorded = Incident.create({**base, "opened_at": MONDAY_9 - timedelta(hours=1)})
        self.assertEqual(recorded.opened_at, MONDAY_9 - timedelta(hours=1))
        self.assertEqual(recorded.state, "new")

    def test_a_client_context_is_no_bypass(self):
        # JSON values a client can put in the context: none opens the guard, and the incident's
        # own clock-write key does not either
        for context in (
            {"channel_workflow_bypass": True},
            {"channel_workflow_bypass": ["tenant.incident"]},
            {"tenant_incident_clock_write": True},
            {"tenant_incident_clock_write": True, "channel_workflow_bypass": "tenant.incident"},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                self.incident.with_user(self.manager).with_context(**context).write(
                    {"state": "resolved", "sla_outcome": "met"}
                )
        self.assertEqual((self.incident.state, self.incident.resolved_at), ("new", False))

    def test_the_actions_still_move_the_incident_and_its_clocks(self):
        incident = self.incident.with_user(self.channel_user)
        with freeze_time(MONDAY_9 + timedelta(minutes=30)):
            incident.action_acknowledge()
        self.assertEqual(incident.state, "acknowledged")
        self.assertEqual(incident.acknowledged_at, MONDAY_9 + timedelta(minutes=30))
        self.assertEqual(incident.response_status, "met")
        with freeze_time(MONDAY_9 + timedelta(hours=1)):
            incident.action_wait_customer()
        self.assertEqual(incident.pause_started_at, MONDAY_9 + timedelta(hours=1))
        with freeze_time(MONDAY_9 + timedelta(hours=2)):
            incident.action_start()
        self.assertFalse(incident.pause_started_at)
        self.assertEqual(incident.paused_seconds, 3600.0)
        with freeze_time(MONDAY_9 + timedelta(hours=3)):
            incident.action_resolve()
        self.assertEqual(incident.resolved_at, MONDAY_9 + timedelta(hours=3))
        self.assertEqual(incident.sla_outcome, "met")
        self.assertFalse(incident.is_open)
        incident.action_close()
        self.assertEqual(incident.state, "closed")
        incident.action_reopen()
        self.assertEqual((incident.state, incident.resolved_at), ("in_progress", False))

    def test_ordinary_fields_stay_editable(self):
        incident = self.incident.with_user(self.channel_user)
        incident.write(
            {
                "subject": "Invoices fail on posting",
                "description": "Since the tax update",
                "root_cause": "Missing tax account",
                "user_id": self.manager.id,
            }
        )
        self.assertEqual(incident.subject, "Invoices fail on posting")
        # a new priority takes its targets from the SLA version, through the engine
        incident.write({"priority": "1"})
        target = self.version.target_ids.filtered(lambda t: t.priority == "1")
        self.assertEqual(incident.response_target_hours, target.response_hours)

    def test_the_probe_still_opens_and_closes_its_incidents(self):
        Incident = self.env["tenant.incident"].sudo()
        opened = Incident.create(
            {
                "tenant_id": self.tenant_a.id,
                "subject": "Down",
                "source": "probe",
                "opened_at": MONDAY_9,
            }
        )
        opened.action_resolve()
        self.assertEqual((opened.state, opened.resolved_at), ("resolved", MONDAY_9))


@tagged("post_install", "-at_install")
class TestIncidentGuardsOverRpc(TenantCase, HttpCase):
    """Over JSON-RPC, as a client would: a Channel Manager's plain write of an incident's state is
    refused whatever context it sends; the action goes through."""

    def _call(self, method, args, context=None):
        """The JSON-RPC answer of ``tenant.incident.method(*args)``, as a client receives it."""
        response = self.url_open(
            f"/web/dataset/call_kw/tenant.incident/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": "tenant.incident",
                        "method": method,
                        "args": args,
                        "kwargs": {"context": context or {}},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_rpc_write_refused_action_accepted(self):
        incident = self.env["tenant.incident"].create(
            {"tenant_id": self.tenant_a.id, "subject": "Slow reports"}
        )
        self.authenticate(self.manager.login, self.manager.login)
        forged = {
            "channel_workflow_bypass": ["tenant.incident"],
            "tenant_incident_clock_write": True,
        }
        for vals in ({"state": "closed"}, {"sla_outcome": "met"}):
            with self.subTest(vals=vals), mute_logger("odoo.http"):
                error = self._call("write", [[incident.id], vals], forged)["error"]["data"]
            self.assertEqual(error["name"], "odoo.exceptions.AccessError")
            self.assertIn(f"({next(iter(vals))})", error["message"])
        self.env.invalidate_all()
        self.assertEqual(incident.state, "new")
        self.assertIs(self._call("action_acknowledge", [[incident.id]])["result"], True)
        self.env.invalidate_all()
        self.assertEqual(incident.state, "acknowledged")
        self.assertTrue(incident.acknowledged_at)
