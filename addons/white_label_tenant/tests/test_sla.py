import os
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, freeze_time, tagged

from .common import TenantCase

# Monday 7 December 2026, 09:00 in Brussels (UTC+1)
MONDAY_9 = datetime(2026, 12, 7, 8, 0)


@tagged("post_install", "-at_install")
# the incidents open "now": every clock starts from the fixture's Monday, whatever the real date
@freeze_time(MONDAY_9)
class TestSla(TenantCase):
    def _incident(self, **vals):
        return self.env["tenant.incident"].create(
            {
                "tenant_id": self.tenant_a.id,
                "subject": "Invoices fail",
                "priority": "2",
                "opened_at": MONDAY_9,
                **vals,
            }
        )

    def _activities(self, incident):
        return self.env["mail.activity"].search(
            [("res_model", "=", "tenant.incident"), ("res_id", "=", incident.id)]
        )

    def test_targets_and_deadlines_in_business_hours(self):
        incident = self._incident()
        self.assertEqual(incident.sla_version_id, self.version)
        self.assertEqual((incident.response_target_hours, incident.resolution_target_hours), (2, 8))
        # 2 business hours from 09:00 local: 11:00 local; 8 hours: 09-12 + 13-17 = 7 h, so
        # Tuesday 10:00 local
        self.assertEqual(incident.response_deadline, datetime(2026, 12, 7, 10, 0))
        self.assertEqual(incident.resolution_deadline, datetime(2026, 12, 8, 9, 0))

    def test_warnings_then_breach_notify_once_each(self):
        incident = self._incident()
        Incident = self.env["tenant.incident"]
        # 10:00 local: 1 of 2 response hours -> first warning (50%)
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 9, 0))
        self.assertEqual(
            (incident.response_status, incident.response_warning_level), ("warning", 1)
        )
        self.assertEqual(len(self._activities(incident)), 1)
        # running again at the same time changes nothing and notifies nobody
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 9, 0))
        self.assertEqual(len(self._activities(incident)), 1)
        # 10:30 local: 75%
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 9, 30))
        self.assertEqual(incident.response_warning_level, 2)
        self.assertEqual(len(self._activities(incident)), 2)
        # 11:01 local: breached; the responsible gets an activity and a message
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 10, 1))
        self.assertEqual(incident.response_status, "breached")
        self.assertEqual(incident.sla_outcome, "breached")
        activities = self._activities(incident)
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, self.manager)
        digest = self.env["mail.mail"].search(
            [("email_to", "ilike", "manager@example.com"), ("body_html", "ilike", "SLA breached")]
        )
        self.assertEqual(len(digest), 1)
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 11, 0))
        self.assertEqual(len(self._activities(incident)), 3)

    def test_acknowledge_stops_response_and_resolution_is_met(self):
        incident = self._incident()
        with freeze_time("2026-12-07 08:30:00"):
            incident.action_acknowledge()
        self.assertEqual(incident.response_status, "met")
        with freeze_time("2026-12-07 14:00:00"):
            incident.action_resolve()
        self.assertEqual(incident.resolution_status, "met")
        self.assertEqual(incident.sla_outcome, "met")
        self.assertAlmostEqual(incident.time_to_resolve_hours, 6.0)

    def test_waiting_on_customer_pauses_resolution(self):
        incident = self._incident(priority="1")  # 4 business hours to resolve
        with freeze_time("2026-12-07 09:00:00"):  # 10:00 local
            incident.action_wait_customer()
        self.assertEqual(incident.resolution_status, "paused")
        # the customer answers on Tuesday 10:00 local: 7 business hours of waiting
        with freeze_time("2026-12-08 09:00:00"):
            incident.action_start()
        self.assertAlmostEqual(incident.paused_seconds, 7 * 3600)
        # 1 h ran before the pause, 3 h left from Tuesday 10:00 local: 14:00 local
        self.assertEqual(incident.resolution_deadline, datetime(2026, 12, 8, 13, 0))
        self.env["tenant.incident"]._cron_sla_scan(now=datetime(2026, 12, 8, 12, 0))
        self.assertEqual(incident.resolution_status, "warning")

    def test_public_holiday_moves_the_deadline(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Regional holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 12, 7, 23, 0),  # Tuesday 8th, local day
                "date_to": datetime(2026, 12, 8, 23, 0),
            }
        )
        incident = self._incident()
        self.assertEqual(incident.resolution_deadline, datetime(2026, 12, 9, 9, 0))

    def test_new_version_never_rewrites_old_incidents(self):
        old = self._incident()
        with self.assertRaises(UserError):
            self.version.uptime_slo = 99.0
        with self.assertRaises(UserError):
            self.version.target_ids[0].response_hours = 10
        action = self.version.action_new_version()
        v2 = self.env["tenant.sla.policy.version"].browse(action["res_id"])
        self.assertEqual(v2.version, 2)
        v2.write({"effective_from": datetime(2026, 12, 7, 12, 0)})
        v2.target_ids.filtered(lambda t: t.priority == "2").write(
            {"response_hours": 1, "resolution_hours": 2}
        )
        v2.action_activate()
        new = self._incident(opened_at=datetime(2026, 12, 7, 13, 0))
        self.assertEqual(new.sla_version_id, v2)
        self.assertEqual(new.resolution_target_hours, 2)
        old.invalidate_recordset()
        self.assertEqual(old.sla_version_id, self.version)
        self.assertEqual(old.resolution_target_hours, 8)
        # resolved after 6 business hours: met under v1 although v2 promises 2 h
        with freeze_time("2026-12-07 15:00:00"):
            old.action_resolve()
        self.assertEqual(old.resolution_status, "met")

    def test_policy_validation(self):
        Version = self.env["tenant.sla.policy.version"]
        with self.assertRaisesRegex(ValidationError, "Working Hours"):
            Version.create({"policy_id": self.policy.id, "business_hours": True})
        empty = Version.create({"policy_id": self.policy.id, "calendar_id": self.calendar.id})
        with self.assertRaisesRegex(UserError, "no targets"):
            empty.action_activate()
        with self.assertRaisesRegex(ValidationError, "Warning Thresholds"):
            empty.warning_thresholds = "50,abc"

    def test_incident_without_policy_has_no_clock(self):
        self.tenant_a.sla_policy_id = False
        incident = self._incident()
        self.assertEqual(incident.sla_outcome, "none")
        self.assertFalse(incident.resolution_deadline)

    def test_target_running_out_at_end_of_day_is_breached_that_evening(self):
        # Friday 11 December 13:00 local, 4 business hours to respond: the target runs out at
        # 17:00 local, the end of the working week
        incident = self._incident(priority="3", opened_at=datetime(2026, 12, 11, 12, 0))
        self.assertEqual(incident.response_deadline, datetime(2026, 12, 11, 16, 0))
        Incident = self.env["tenant.incident"]
        # at 17:00 sharp the target is just met; the next look is the second after
        Incident._cron_sla_scan(now=datetime(2026, 12, 11, 16, 0))
        self.assertEqual(incident.response_status, "warning")
        self.assertEqual(incident.sla_next_check_at, datetime(2026, 12, 11, 16, 0, 1))
        # Friday evening, not Monday morning: breached, and the response clock needs no more looks
        self.assertEqual(Incident._cron_sla_scan(now=datetime(2026, 12, 11, 18, 0)), 1)
        self.assertEqual(incident.response_status, "breached")
        # the next look is the resolution clock's first warning (8 of 16 h), Monday 14:00 local
        self.assertEqual(incident.sla_next_check_at, datetime(2026, 12, 14, 13, 0))
        self.assertEqual(
            self._activities(incident)
            .filtered(lambda a: "breached" in a.summary)
            .mapped("summary"),
            [f"SLA breached: first response of {incident.name}"],
        )
        # the weekend's scans do not come back to it
        self.assertEqual(Incident._cron_sla_scan(now=datetime(2026, 12, 12, 10, 0)), 0)
        self.assertEqual(Incident._cron_sla_scan(now=datetime(2026, 12, 13, 10, 0)), 0)

    def test_scan_passing_two_thresholds_warns_for_each(self):
        incident = self._incident()
        # 10:40 local: 100 of 120 response minutes, past 50 % and 75 % in one scan
        self.env["tenant.incident"]._cron_sla_scan(now=datetime(2026, 12, 7, 9, 40))
        self.assertEqual(
            (incident.response_status, incident.response_warning_level), ("warning", 2)
        )
        self.assertEqual(
            sorted(self._activities(incident).mapped("summary")),
            [
                f"SLA warning: first response of {incident.name} passed 50% of its target",
                f"SLA warning: first response of {incident.name} passed 75% of its target",
            ],
        )

    def test_pause_started_after_the_deadline_rescues_nothing(self):
        # priority 1: resolution in 4 business hours from Monday 09:00 local -> 14:00 local
        incident = self._incident(priority="1")
        with freeze_time("2026-12-07 14:30:00"):  # 15:30 local, already late
            incident.action_wait_customer()
        self.assertEqual(incident.resolution_status, "breached")
        with freeze_time("2026-12-08 09:00:00"):
            incident.action_start()
        self.assertEqual(incident.paused_seconds, 0.0)
        self.assertEqual(incident.resolution_status, "breached")
        self.assertEqual(incident.resolution_deadline, datetime(2026, 12, 7, 13, 0))

    def test_targets_refuse_nan_infinity_negative(self):
        draft = self.env["tenant.sla.policy.version"].create(
            {"policy_id": self.policy.id, "calendar_id": self.calendar.id}
        )
        Target = self.env["tenant.sla.target"]
        for field_name, label in (
            ("response_hours", "First Response"),
            ("resolution_hours", "Resolution"),
        ):
            for bad in (float("nan"), float("inf"), -4.0, 0.0):
                vals = {"version_id": draft.id, "priority": "1", "response_hours": 1}
                vals["resolution_hours"] = 4
                vals[field_name] = bad
                with (
                    self.subTest(field=field_name, value=bad),
                    self.assertRaisesRegex(ValidationError, label),
                    self.cr.savepoint(),
                ):
                    Target.create(vals)
        for field_name, label in (
            ("rpo_minutes", "RPO"),
            ("rto_minutes", "RTO"),
            ("backup_frequency", "Backup Every"),
        ):
            for bad in (float("nan"), float("-inf"), -1.0):
                with (
                    self.subTest(field=field_name, value=bad),
                    self.assertRaisesRegex(ValidationError, label),
                    self.cr.savepoint(),
                ):
                    draft.write({field_name: bad})
        with self.assertRaisesRegex(ValidationError, "Uptime SLO"), self.cr.savepoint():
            draft.write({"uptime_slo": float("nan")})

    def test_calendar_without_fixed_hours_is_refused(self):
        flexible = self.env["resource.calendar"].create(
            {"name": "Flexible", "flexible_hours": True, "hours_per_day": 8}
        )
        with self.assertRaisesRegex(ValidationError, "Flexible Hours"):
            self.env["tenant.sla.policy.version"].create(
                {"policy_id": self.policy.id, "calendar_id": flexible.id}
            )
        with self.assertRaisesRegex(UserError, "Flexible Hours"):
            flexible._tenant_business_schedule()
        empty = self.env["resource.calendar"].create({"name": "Nothing", "attendance_ids": []})
        with self.assertRaisesRegex(ValidationError, "no working time"):
            self.env["tenant.sla.policy.version"].create(
                {"policy_id": self.policy.id, "calendar_id": empty.id}
            )


# --- business time against Odoo's own resource.calendar ------------------------------------
ZONES = ["UTC", "Europe/Brussels", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]
WINDOW_FROM = datetime(2026, 1, 1)


@st.composite
def calendar_specs(draw):
    """A random calendar: undated spans that do not overlap (Odoo refuses that) per weekday and
    week type, dated spans that may, lunch lines, leaves of the calendar and of every calendar,
    leaves of another type (which Odoo ignores), and a query window over a DST change or not."""
    two_weeks = draw(st.booleans())
    attendances = []
    for week in (0, 1) if two_weeks else (None,):
        for day in range(7):
            cuts = sorted(draw(st.sets(st.integers(0, 96), max_size=4)))
            for hour_from, hour_to in zip(cuts[::2], cuts[1::2], strict=False):
                attendances.append((day, hour_from / 4, hour_to / 4, week, None, None, "morning"))
    start_day = draw(st.integers(0, 700))
    for _i in range(draw(st.integers(0, 3))):
        hour_from = draw(st.integers(0, 95))
        first = draw(st.integers(-3, 20))  # dated: Odoo lets those overlap the others
        attendances.append(
            (
                draw(st.integers(0, 6)),
                hour_from / 4,
                draw(st.integers(hour_from + 1, 96)) / 4,
                draw(st.sampled_from((0, 1))) if two_weeks else None,
                first,
                draw(st.one_of(st.none(), st.integers(first, 25))),
                draw(st.sampled_from(("morning", "afternoon", "lunch"))),
            )
        )
    leaves = draw(
        st.lists(
            st.tuples(
                st.integers(-48 * 4, 400 * 4),  # start, quarter hours from the window's start
                st.integers(1, 96 * 4),
                st.sampled_from(("leave", "leave", "other")),
                st.booleans(),  # of this calendar (or of every calendar)
            ),
            max_size=3,
        )
    )
    return {
        "tz": draw(st.sampled_from(ZONES)),
        "two_weeks": two_weeks,
        "attendances": attendances,
        "start_day": start_day,
        "start_minutes": draw(st.integers(0, 24 * 60 - 1)),
        "span_minutes": draw(st.integers(0, 20 * 24 * 60)),
        "leaves": leaves,
        "share": draw(st.floats(0.0, 1.0)),
    }


@tagged("post_install", "-at_install")
class TestBusinessTimeMatchesOdoo(TransactionCase):
    """The suite's business time equals what Odoo's resource.calendar computes for the calendar
    (``_work_intervals_batch``), on random calendars; each example is one calendar in the DB."""

    def _calendar(self, spec, start):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Random",
                "tz": spec["tz"],
                "two_weeks_calendar": spec["two_weeks"],
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {hour_from}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                            "week_type": str(week or 0),
                            "date_from": first is not None and start.date() + timedelta(first),
                            "date_to": last is not None and start.date() + timedelta(last),
                        }
                    )
                    for day, hour_from, hour_to, week, first, last, period in spec["attendances"]
                ],
            }
        )
        self.env["resource.calendar.leaves"].create(
            [
                {
                    "name": "Random leave",
                    "calendar_id": calendar.id if own else False,
                    "date_from": start + timedelta(minutes=15 * offset),
                    "date_to": start + timedelta(minutes=15 * (offset + length)),
                    "time_type": time_type,
                }
                for offset, length, time_type, own in spec["leaves"]
            ]
        )
        return calendar

    def _odoo_intervals(self, calendar, start, end):
        intervals = calendar._work_intervals_batch(
            start.replace(tzinfo=timezone.utc), end.replace(tzinfo=timezone.utc)
        )[False]
        return [
            (a.astimezone(timezone.utc).replace(tzinfo=None), b.astimezone(timezone.utc))
            for a, b, _records in intervals
        ]

    def _odoo_seconds(self, calendar, start, end):
        return sum(
            (b.replace(tzinfo=None) - a).total_seconds()
            for a, b in self._odoo_intervals(calendar, start, end)
        )

    @settings(  # CI: derandomized; HYPOTHESIS_PROFILE=large by hand: random, ten times more
        max_examples=400 if os.environ.get("HYPOTHESIS_PROFILE") == "large" else 40,
        deadline=None,
        derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "large",
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(calendar_specs())
    def test_business_time_equals_odoo_calendar(self, spec):
        start = (
            WINDOW_FROM + timedelta(days=spec["start_day"], minutes=spec["start_minutes"])
        ).replace(second=0)
        end = start + timedelta(minutes=spec["span_minutes"])
        calendar = self._calendar(spec, start)
        schedule = calendar._tenant_business_schedule()
        expected = self._odoo_seconds(calendar, start, end)
        # Odoo ends a day at 23:59:59.999999: a microsecond per day at most
        self.assertAlmostEqual(schedule.elapsed(start, end), expected, delta=0.01)
        if expected:
            # adding a share of that time lands where Odoo's intervals hold exactly that share
            wanted = max(1.0, round(spec["share"] * expected))
            instant = schedule.add(start, wanted)
            self.assertLessEqual(instant, end + timedelta(seconds=1))
            self.assertAlmostEqual(self._odoo_seconds(calendar, start, instant), wanted, delta=1.0)
            self.assertLess(
                self._odoo_seconds(calendar, start, instant - timedelta(seconds=1)), wanted
            )
