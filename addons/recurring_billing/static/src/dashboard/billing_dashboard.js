import {Component, onWillStart, onWillUnmount, useEffect, useRef, useState} from "@odoo/owl";
import {loadBundle} from "@web/core/assets";
import {cookie} from "@web/core/browser/cookie";
import {getColor, hexToRGBA} from "@web/core/colors/colors";
import {formatCurrency} from "@web/core/currency";
import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {formatPercentage} from "@web/views/fields/formatters";
import {useSetupAction} from "@web/search/action_hook";
import {Layout} from "@web/search/layout";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";

/**
 * Axis bounds that keep a flat series (steady MRR) off the chart's edge: Chart.js would otherwise
 * put a constant line on the top or bottom of the plot, where it reads as "no data".
 */
export function suggestedBounds(values) {
    const max = Math.max(0, ...values);
    const min = Math.min(0, ...values);
    const span = max - min || Math.abs(max) || 1;
    return {
        suggestedMin: min < 0 ? min - span * 0.15 : 0,
        suggestedMax: max > 0 ? max + span * 0.15 : min < 0 ? span * 0.15 : 1,
    };
}

/**
 * The revenue dashboard: every figure comes from one call to
 * billing.dashboard.get_dashboard_data (computed in the module's core/); this component only
 * formats them, draws them with the Chart.js Odoo ships (web.chartjs_lib, as the graph view
 * loads it) and opens the list, pivot or graph behind each figure: a click on a point of the MRR
 * chart, a bar of the movements chart or a cohort of the heat map opens the movements behind it.
 */
export class BillingDashboard extends Component {
    static template = "recurring_billing.BillingDashboard";
    static components = {Layout};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        // the window and the cohort grouping survive a trip to the list behind a figure
        const {dateFrom = "", dateTo = "", cohortGroup = ""} = this.props.state || {};
        this.state = useState({dateFrom, dateTo, cohortGroup, data: null});
        useSetupAction({
            getLocalState: () => ({
                dateFrom: this.state.dateFrom,
                dateTo: this.state.dateTo,
                cohortGroup: this.state.cohortGroup,
            }),
        });
        this.mrrCanvas = useRef("mrrChart");
        this.movementsCanvas = useRef("movementsChart");
        this.charts = [];
        onWillStart(async () => {
            await Promise.all([loadBundle("web.chartjs_lib"), this.load()]);
        });
        useEffect(
            () => this.renderCharts(),
            () => [this.state.data]
        );
        onWillUnmount(() => this.destroyCharts());
    }

    destroyCharts() {
        for (const chart of this.charts) {
            chart.destroy();
        }
        this.charts = [];
    }

    renderCharts() {
        this.destroyCharts();
        if (this.mrrCanvas.el) {
            this.charts.push(new Chart(this.mrrCanvas.el, this.mrrChartConfig()));
        }
        if (this.movementsCanvas.el) {
            this.charts.push(new Chart(this.movementsCanvas.el, this.movementsChartConfig()));
        }
    }

    /** Odoo's chart palette, sized so that a few series get distinct hues (not shades of one). */
    color(index, count, opacity = 1) {
        return hexToRGBA(getColor(index, cookie.get("color_scheme"), count), opacity);
    }

    /** Layers in blue, teal, purple...: red and orange stay for the losses of the bar chart. */
    layerColor(index, opacity = 1) {
        return this.color([0, 2, 4, 5, 3][index % 5], 6, opacity);
    }

    /** Gains in cool colours, losses in warm ones, whatever the order of the movement types. */
    movementColor(kind, index, count) {
        const semantic = {new: 2, expansion: 0, contraction: 3, churn: 1, reactivation: 4};
        return kind in semantic ? this.color(semantic[kind], 6) : this.color(index, count);
    }

    chartOptions(values, onClick) {
        return {
            animation: false,
            maintainAspectRatio: false,
            interaction: {mode: "nearest", intersect: true},
            onClick: (event, elements) => {
                if (elements.length) {
                    onClick(elements[0].datasetIndex, elements[0].index);
                }
            },
            onHover: (event, elements) => {
                event.native.target.style.cursor = elements.length ? "pointer" : "default";
            },
            plugins: {
                legend: {position: "bottom"},
                tooltip: {
                    callbacks: {
                        label: (item) => `${item.dataset.label}: ${this.money(item.raw)}`,
                    },
                },
            },
            scales: {
                x: {stacked: true},
                y: {
                    stacked: true,
                    ...suggestedBounds(values),
                    ticks: {callback: (value) => this.money(value)},
                },
            },
        };
    }

    /** MRR at each month end, stacked by revenue layer: the top of the stack is the MRR. */
    mrrChartConfig() {
        const {series} = this.state.data;
        return {
            type: "line",
            data: {
                labels: series.map((point) => this.date(point.date)),
                datasets: this.layers.map(([layer, label], index) => ({
                    label,
                    data: series.map((point) => point.by_layer[layer] || 0),
                    fill: index ? "-1" : "origin",
                    borderColor: this.layerColor(index),
                    backgroundColor: this.layerColor(index, 0.4),
                    pointRadius: 3,
                    tension: 0,
                })),
            },
            options: this.chartOptions(
                series.map((point) => point.mrr),
                (datasetIndex, index) => this.openLayerOn(this.layers[datasetIndex], series[index].date)
            ),
        };
    }

    /** The movements of each month, gains above zero, churn and contraction below. */
    movementsChartConfig() {
        const months = this.state.data.movements_by_month;
        const gains = months.map((row) => Object.values(row.by_type).reduce((sum, v) => sum + Math.max(v, 0), 0));
        const losses = months.map((row) => Object.values(row.by_type).reduce((sum, v) => sum + Math.min(v, 0), 0));
        return {
            type: "bar",
            data: {
                labels: months.map((row) => this.month(row.month)),
                datasets: this.movementTypes.map(([kind, label], index) => ({
                    label,
                    data: months.map((row) => row.by_type[kind] || 0),
                    backgroundColor: this.movementColor(kind, index, this.movementTypes.length),
                })),
            },
            options: this.chartOptions([...gains, ...losses], (datasetIndex, index) =>
                this.openMovementsOf(this.movementTypes[datasetIndex], months[index].month)
            ),
        };
    }

    async load() {
        const data = await this.orm.call("billing.dashboard", "get_dashboard_data", [
            this.state.dateFrom || false,
            this.state.dateTo || false,
            this.state.cohortGroup || false,
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

    /** Reload with the cohorts grouped by the dimension picked ("" = one heat map of all). */
    onCohortGroupChange(ev) {
        this.state.cohortGroup = ev.target.value;
        this.load();
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

    /** Month ages 0..count-1: the columns of a cohort heat map. */
    ages(count) {
        return [...Array(count).keys()];
    }

    /** The four recurring services beyond the platform whose attach rates seed 001 follows. */
    get attachServices() {
        return [
            ["hosting", _t("Hosting")],
            ["support", _t("Support")],
            ["monitoring", _t("Monitoring retainer")],
            ["enhancement", _t("Enhancement retainer")],
        ];
    }

    get cohortGroupings() {
        return [
            ["", _t("All customers")],
            ["vertical", _t("by vertical")],
            ["deployment_model", _t("by deployment model")],
            ["partner_type", _t("by partner type")],
        ];
    }

    /** The heat maps to draw: one of all customers, or one per group of the chosen grouping. */
    get cohortBlocks() {
        const data = this.state.data;
        if (!this.state.cohortGroup || !data.cohorts_by) {
            return [{key: "all", label: false, ages: data.cohorts.ages, rows: data.cohorts.rows}];
        }
        return data.cohorts_by.groups.map((group) => ({...group, key: String(group.key)}));
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

    /** Heat map colour of a cohort's retention (1 = all its MRR kept, above 1 = expanded). */
    cohortStyle(value) {
        if (value === null || value === undefined) {
            return "";
        }
        const strength = Math.max(0, Math.min(value, 1.2)) / 1.2;
        return `background-color: ${hexToRGBA("#017e84", 0.1 + 0.8 * strength)}; color: ${
            strength > 0.5 ? "#fff" : "inherit"
        };`;
    }

    openMovementList(name, domain) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: "billing.mrr.movement",
            views: [
                [false, "list"],
                [false, "pivot"],
                [false, "graph"],
            ],
            domain,
        });
    }

    openLayerOn([layer, label], day) {
        this.openMovementList(_t("%(layer)s MRR on %(date)s", {layer: label, date: this.date(day)}), [
            ["revenue_layer", "=", layer],
            ["date", "<=", day],
        ]);
    }

    monthDomain(month) {
        const start = deserializeDate(month);
        return [
            ["date", ">=", month],
            ["date", "<", start.plus({months: 1}).toISODate()],
            ...this.windowDomain(),
        ];
    }

    openMovementsOf([kind, label], month) {
        this.openMovementList(_t("%(type)s in %(month)s", {type: label, month: this.month(month)}), [
            ["movement_type", "=", kind],
            ...this.monthDomain(month),
        ]);
    }

    /**
     * A cohort is the customers whose first movement (new business) fell in its month. Of a
     * partner type's heat map, only the new business booked under that type (the movements carry
     * it); the other groupings have no such field on the movement, so their rows open nothing.
     */
    cohortClickable(block) {
        return !block.label || this.state.data.cohorts_by?.dimension === "partner_type";
    }

    openCohort(month, block) {
        if (!this.cohortClickable(block)) {
            return;
        }
        const start = deserializeDate(month);
        const domain = [
            ["movement_type", "=", "new"],
            ["date", ">=", month],
            ["date", "<", start.plus({months: 1}).toISODate()],
        ];
        let name = _t("New business of the %(month)s cohort", {month: this.month(month)});
        if (block.label) {
            const type = block.key === "false" ? false : Number(block.key);
            domain.push(["partner_type_id", "=", type]);
            name = _t("New business of the %(month)s cohort, %(group)s", {
                month: this.month(month),
                group: block.label,
            });
        }
        this.openMovementList(name, domain);
    }

    openMrrOverTime(groupBy) {
        this.openLedger(_t("MRR over time"), "graph", {
            graph_groupbys: ["date:month", groupBy],
            graph_mode: "line",
            graph_cumulated: true,
            // no empty ("None") series for the months without movement
            fill_temporal: false,
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
