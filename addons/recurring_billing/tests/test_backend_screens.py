from datetime import date

from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestBackendScreens(TransactionCase):
    """What a user reads on the suite's backend screens (the four modules installed): field
    labels, graph stacking, the search panels of the report lists, the Implementations kanban."""

    def _arch(self, model, view_type, view_id=None):
        return etree.fromstring(self.env[model].get_view(view_id, view_type)["arch"])

    def test_labels_read_as_words(self):
        expected = {
            "tenant.incident": {
                "sla_outcome": "SLA Result",
                "sla_error": "SLA Error",
                "sla_next_check_at": "Next SLA Check",
                "paused_seconds": "Waiting on Customer (business seconds)",
                "response_warning_level": "Response Warnings Sent",
                "resolution_warning_level": "Resolution Warnings Sent",
            },
            "governance.gate.template": {"stage_key": "Selection Stage"},
            "governance.gate.criterion": {"python_check": "Automatic Check"},
            "governance.gate.line": {"python_check": "Automatic Check"},
            "crm.lead": {"customer_key_vat": "Customer Key Tax ID"},
            "project.project": {"planned_go_live_date": "Planned Go-Live"},
            "tenant.tenant": {"burn_rate_30d": "SLA Burn Rate (30 days)"},
            "billing.subscription.line": {
                "current_mrr": "MRR",
                "mrr": "MRR When Running",
                "date_start": "Start Date",
            },
            "scorecard.period": {"date_start": "Start Date", "date_end": "End Date"},
        }
        for model, labels in expected.items():
            described = self.env[model].fields_get(list(labels), ["string"])
            for name, label in labels.items():
                with self.subTest(model=model, field=name):
                    self.assertEqual(described[name]["string"], label)

    def test_open_incident_shows_no_time_to_restore(self):
        arch = self._arch("tenant.incident", "form")
        (node,) = arch.xpath("//field[@name='time_to_resolve_hours']")
        self.assertEqual(node.get("invisible"), "not resolved_at")
        # the wait on the customer reads as hours and minutes, not as a count of seconds
        (node,) = arch.xpath("//field[@name='paused_hours']")
        self.assertEqual(node.get("widget"), "float_time")
        self.assertFalse(arch.xpath("//field[@name='paused_seconds']"))
        incident = self.env["tenant.incident"].new({"paused_seconds": 5400.0})
        self.assertEqual(incident.paused_hours, 1.5)

    def test_scorecard_graph_averages_are_not_stacked(self):
        graph = self._arch("partner.scorecard", "graph")
        self.assertEqual(graph.get("stacked"), "0", "average scores of partner types never sum")
        self.assertEqual(self.env["partner.scorecard"]._fields["overall_score"].aggregator, "avg")

    def test_report_lists_have_filters_and_group_bys(self):
        for xmlid in (
            "recurring_billing.billing_invoice_period_action",
            "partner_scorecard.partner_scorecard_domain_action",
            "partner_scorecard.partner_tier_history_action",
        ):
            with self.subTest(action=xmlid):
                action = self.env.ref(xmlid)
                self.assertTrue(action.search_view_id, "a search view of its own")
                arch = self._arch(action.res_model, "search", action.search_view_id.id)
                filters = arch.xpath("//filter[@domain or @date]")
                group_bys = arch.xpath("//filter[contains(@context, 'group_by')]")
                self.assertGreaterEqual(len(filters), 2)
                self.assertGreaterEqual(len(group_bys), 3)

    def test_subscription_lines_show_each_column_once(self):
        form = self._arch("billing.subscription", "form")
        (lines,) = form.xpath("//field[@name='line_ids']/list")
        shown = [
            node.get("name")
            for node in lines.xpath("./field")
            if node.get("optional") != "hide" and node.get("column_invisible") != "1"
        ]
        self.assertNotIn("name", shown, "the description repeats the product")
        self.assertLessEqual(len(shown), 11)
        self.assertIn("current_mrr", shown)
        # the header's MRR shows its currency also to a user without multi-currency
        self.assertTrue(form.xpath("//field[@name='currency_id'][not(@groups)]"))

    def test_implementations_kanban_shows_empty_phases(self):
        Project = self.env["project.project"]
        phases = [key for key, _label in Project._fields["implementation_phase"].selection]
        groups = Project.read_group(
            [("id", "=", 0)], ["implementation_phase"], ["implementation_phase"]
        )
        self.assertEqual([group["implementation_phase"] for group in groups], phases)


@tagged("post_install", "-at_install")
class TestPartnerChannelSettings(TransactionCase):
    """The health probe, tenant provisioning and billing settings are set in the Partner Channel
    settings page, not only as system parameters."""

    def test_settings_form_writes_the_parameters(self):
        form = Form(self.env["res.config.settings"])
        form.tenant_probe_timeout = 5.5
        form.tenant_probe_failure_threshold = 4
        form.tenant_probe_min_interval = 300
        form.tenant_probe_workers = 8
        form.tenant_shared_connection_limit = 20
        form.billing_auto_post = False
        thirty_days = self.env.ref("account.account_payment_term_30days")
        form.billing_payment_term_id = thirty_days
        form.save().execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(float(params.get_param("white_label_tenant.probe_timeout")), 5.5)
        self.assertEqual(params.get_param("white_label_tenant.probe_failure_threshold"), "4")
        self.assertEqual(params.get_param("white_label_tenant.probe_min_interval_seconds"), "300")
        self.assertEqual(params.get_param("white_label_tenant.shared_connection_limit"), "20")
        self.assertFalse(self.env.company.billing_auto_post)
        self.assertEqual(self.env.company.billing_payment_term_id, thirty_days)
        # what the probe run reads back
        self.assertEqual(self.env["tenant.environment.batch"]._probe_settings(), (5.5, 4, 8))
        self.assertEqual(Form(self.env["res.config.settings"]).tenant_probe_workers, 8)

    def test_bad_value_names_the_setting(self):
        form = Form(self.env["res.config.settings"])
        form.tenant_probe_failure_threshold = 0
        with self.assertRaisesRegex(ValidationError, "Failed Probes Before Down is 0"):
            form.save()

    def test_blocks_in_the_partner_channel_app(self):
        arch = etree.fromstring(self.env["res.config.settings"].get_view(view_type="form")["arch"])
        (app,) = arch.xpath("//app[@name='partner_scorecard']")
        titles = [block.get("title") for block in app.xpath("./block")]
        for title in ("Health Probes", "Tenant SLA and Provisioning", "Subscription Billing"):
            self.assertIn(title, titles)


@tagged("post_install", "-at_install")
class TestMrrLedgerGraph(BillingCommon):
    def test_no_none_series_for_a_month_without_movement(self):
        """The graph reads its groups with ``fill_temporal`` (the web client's default), which
        fills a month without movement with an empty revenue layer, drawn as a "None" series:
        the ledger's action turns it off."""
        first = self._subscription(date(2026, 1, 1))
        second = self._subscription(date(2026, 3, 1), customer=self.customer_2)  # none in Feb
        Movement = self.env["billing.mrr.movement"]
        graph = etree.fromstring(Movement.get_view(view_type="graph")["arch"])
        group_bys = [node.get("name") for node in graph.xpath("//field[not(@type='measure')]")]
        self.assertEqual(group_bys, ["date", "revenue_layer"])
        action = self.env.ref("recurring_billing.billing_mrr_movement_action")
        domain = [("subscription_id", "in", (first | second).ids)]

        def layers(context):
            groups = Movement.with_context(**context).web_read_group(
                domain, ["amount:sum"], ["date:month", "revenue_layer"], lazy=False
            )["groups"]
            return {group["revenue_layer"] for group in groups}

        self.assertIn(False, layers({"fill_temporal": True}), "the empty month of the graph")
        self.assertEqual(
            layers({"fill_temporal": True, **safe_eval(action.context)}), {"hosting", "application"}
        )
