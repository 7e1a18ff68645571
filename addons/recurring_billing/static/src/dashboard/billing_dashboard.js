import {Component, onWillStart, useState} from "@odoo/owl";
import {formatCurrency} from "@web/core/currency";
import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {formatPercentage} from "@web/views/fields/formatters";
import {Layout} from "@web/search/layout";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";

/**
 * The revenue dashboard: every figure comes from one call to
 * billing.dashboard.get_dashboard_data (computed in the module's core/); this component only
 * formats them and opens the pivot/graph reports behind each figure.
 */
export class BillingDashboard extends Component {
    static template = "recurring_billing.BillingDashboard";
    static components = {Layout};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({dateFrom: "", dateTo: "", data: null});
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call("billing.dashboard", "get_dashboard_data", [
            this.state.dateFrom || false,
            this.state.dateTo || false,
        ]);
        this.state.dateFrom = data.date_from;
        this.state.dateTo = data.date_to;
        this.state.data = data;
    }

    onDateChange(field, ev) {
        this.state[field] = ev.target.value;
        if (this.state.dateFrom && this.state.dateTo) {
            this.load();
        }
    }

    money(value) {
        return formatCurrency(value || 0, this.state.data.currency_id);
    }

    percent(value) {
        return value === null || value === undefined ? "–" : formatPercentage(value, {digits: [16, 1]});
    }

    date(value) {
        return formatDate(deserializeDate(value));
    }

    month(value) {
        return deserializeDate(value).toFormat("LLL yyyy");
    }

    get layers() {
        return Object.entries(this.state.data.labels.layers);
    }

    get movementTypes() {
        return Object.entries(this.state.data.labels.movements);
    }

    get ages() {
        return [...Array(this.state.data.cohorts.ages).keys()];
    }

    windowDomain() {
        return [
            ["date", ">", this.state.data.date_from],
            ["date", "<=", this.state.data.date_to],
        ];
    }

    openLedger(name, viewType, context = {}, domain = []) {
        const views = [
            [false, "graph"],
            [false, "pivot"],
            [false, "list"],
        ];
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: "billing.mrr.movement",
            views: [views.find((view) => view[1] === viewType), ...views.filter((view) => view[1] !== viewType)],
            domain,
            context,
        });
    }

    openMrrOverTime(groupBy) {
        this.openLedger(_t("MRR over time"), "graph", {
            graph_groupbys: ["date:month", groupBy],
            graph_mode: "line",
            graph_cumulated: true,
        }, [["date", "<=", this.state.data.date_to]]);
    }

    openMovements() {
        this.openLedger(
            _t("MRR movements"),
            "pivot",
            {pivot_row_groupby: ["date:month"], pivot_column_groupby: ["movement_type"]},
            this.windowDomain()
        );
    }

    openByTier() {
        this.openLedger(
            _t("MRR by partner tier"),
            "pivot",
            {pivot_row_groupby: ["partner_tier_id", "partner_type_id"], pivot_column_groupby: ["revenue_layer"]},
            [["date", "<=", this.state.data.date_to]]
        );
    }

    openMargin() {
        this.action.doAction("recurring_billing.billing_subscription_line_action");
    }

    openStuck() {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Billing stuck"),
            res_model: "billing.subscription",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [["billing_stuck", "=", true]],
        });
    }

    openPartner(partner) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: partner.name,
            res_model: "billing.subscription",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [["partner_id", "=", partner.id]],
        });
    }
}

registry.category("actions").add("recurring_billing.dashboard", BillingDashboard);
