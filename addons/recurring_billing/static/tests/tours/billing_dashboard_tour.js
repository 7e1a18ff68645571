import {registry} from "@web/core/registry";

const DASHBOARD = ".o_billing_dashboard";

/** A hoot pattern matching exactly this text (":contains(0%)" would also match "100%"). */
function exactly(text) {
    return `/^\\s*${text}\\s*$/`;
}

/** The Chart.js instance drawn on a canvas, with its points; fails the tour when not drawn. */
function drawnChart(canvas) {
    const chart = Chart.getChart(canvas);
    if (!chart) {
        throw new Error("no chart drawn on the canvas");
    }
    const points = chart.data.datasets.flatMap((dataset, index) =>
        chart.getDatasetMeta(index).data.filter((element) => Number.isFinite(element.y))
    );
    if (!canvas.width || !canvas.height || points.length !== chart.data.datasets.length * chart.data.labels.length) {
        throw new Error(`the chart is not drawn: ${points.length} points on a ${canvas.width}x${canvas.height} canvas`);
    }
    return chart;
}

registry.category("web_tour.tours").add("recurring_billing_dashboard", {
    steps: () => [
        {
            content: "The dashboard shows the company's MRR",
            trigger: `${DASHBOARD} div[name="mrr"] .o_billing_kpi_value:contains(700.00)`,
        },
        {
            content: "and its ARR",
            trigger: `${DASHBOARD} div[name="arr"] .o_billing_kpi_value:contains(8,400.00)`,
        },
        {
            content: "The subscription's start is new business of the window",
            trigger: `${DASHBOARD} .o_billing_movements tr[data-movement="new"]:contains(700.00)`,
        },
        {
            content: "Hosting MRR by layer",
            trigger: `${DASHBOARD} .o_billing_layers tr[data-layer="hosting"]:contains(500.00)`,
        },
        {
            content: "The partner's attach rates and margin",
            trigger: `${DASHBOARD} .o_billing_partners tr:contains(Tour Hosting Partner):contains(100%):contains(100.00)`,
        },
        ...[
            ["hosting", "100%"],
            ["support", "100%"],
            ["monitoring", "0%"],
            ["enhancement", "0%"],
        ].map(([service, rate]) => ({
            content: `The ${service} attach rate of the active subscriptions: ${rate}`,
            trigger: `${DASHBOARD} .o_billing_attach[data-service="${service}"] .o_billing_attach_value:contains(${exactly(rate)})`,
        })),
        {
            content: "The partner's monitoring and enhancement retainer attach rates",
            trigger: `${DASHBOARD} .o_billing_partners tbody tr:contains(Tour Hosting Partner) td[name="monitoring_attach"]:contains(${exactly("0%")}) + td[name="enhancement_attach"]:contains(${exactly("0%")})`,
        },
        {
            content: "Nothing at the start of the default window: no growth rate",
            trigger: `${DASHBOARD} div[name="mrr"] .small:contains((–))`,
        },
        {
            content: "The MRR chart draws one stacked area per layer, 700.00 on top at the end",
            trigger: `${DASHBOARD} canvas.o_billing_mrr_chart`,
            run() {
                const chart = drawnChart(this.anchor);
                const last = chart.data.labels.length - 1;
                const top = chart.data.datasets.reduce((sum, dataset) => sum + dataset.data[last], 0);
                if (top !== 700 || !chart.options.scales.y.stacked) {
                    throw new Error(`the stacked MRR ends at ${top}, not 700`);
                }
                // the steady MRR of the last months is drawn inside the plot, not on its edge
                const meta = chart.getDatasetMeta(chart.data.datasets.length - 1);
                const y = meta.data[last].y;
                if (!(y > chart.chartArea.top + 5 && y < chart.chartArea.bottom - 5)) {
                    throw new Error(`the flat MRR line sits on the edge of the plot (y=${y})`);
                }
            },
        },
        {
            content: "Click the new business bar of the month the subscription started",
            trigger: `${DASHBOARD} canvas.o_billing_movements_chart`,
            run() {
                const chart = drawnChart(this.anchor);
                const datasetIndex = chart.data.datasets.findIndex((dataset) => dataset.label === "New Business");
                const index = chart.data.datasets[datasetIndex].data.findIndex((value) => value === 700);
                if (index < 0) {
                    throw new Error("no 700.00 new business bar");
                }
                const bar = chart.getDatasetMeta(datasetIndex).data[index];
                const rect = this.anchor.getBoundingClientRect();
                const init = {
                    bubbles: true,
                    clientX: rect.left + bar.x,
                    clientY: rect.top + (bar.y + bar.base) / 2,
                };
                this.anchor.dispatchEvent(new MouseEvent("mousemove", init));
                this.anchor.dispatchEvent(new MouseEvent("click", init));
            },
        },
        {
            content: "The bar opens the list of its movements: hosting and support of that month",
            trigger: ".o_list_view .o_data_row:contains(Managed Hosting):contains(500.00)",
        },
        {
            content: "and the support line's",
            trigger: ".o_list_view .o_data_row:contains(200.00)",
        },
        {
            content: "Back to the dashboard from the movements",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Revenue Dashboard)",
            run: "click",
        },
        {
            content: "The cohort heat map colours the cohort's retention",
            trigger: `${DASHBOARD} .o_billing_cohorts td.o_billing_cohort_cell[style*="background-color"]:contains(100%)`,
            run: "click",
        },
        {
            content: "A cohort opens the new business of its month",
            trigger: ".o_list_view .o_data_row:contains(New Business):contains(500.00)",
        },
        {
            content: "Back to the dashboard from the cohort",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Revenue Dashboard)",
            run: "click",
        },
        {
            content: "Open the movements behind the figures",
            trigger: `${DASHBOARD} .o_billing_open_movements`,
            run: "click",
        },
        {
            content: "The movements open in a pivot view",
            trigger: ".o_pivot_view .o_pivot table:contains(700.00)",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Revenue Dashboard)",
            run: "click",
        },
        {
            content: "Group the cohorts by partner type",
            trigger: `${DASHBOARD} select[name="cohort_group"]`,
            run: "select partner_type",
        },
        {
            content: "One heat map per partner type, headed by its name, with its retention cells",
            trigger: `${DASHBOARD} .o_billing_cohort_block[data-group]:has(h6.o_billing_cohort_group:contains(White-Label Operator)) td.o_billing_cohort_cell[style*="background-color"]:contains(${exactly("100%")})`,
        },
        {
            content: "and no heat map of all customers any more",
            trigger: `${DASHBOARD}:not(:has(.o_billing_cohort_block:not([data-group])))`,
        },
        {
            content: "A partner type's cohort opens the new business booked under that type",
            trigger: `${DASHBOARD} .o_billing_cohort_block[data-group] td.o_billing_cohort_cell:first`,
            run: "click",
        },
        {
            content: "The cohort's new business, named after its partner type",
            trigger: ".o_breadcrumb:contains(White-Label Operator)",
        },
        {
            content: "with the hosting line's new business",
            trigger: ".o_list_view .o_data_row:contains(New Business):contains(500.00)",
        },
        {
            content: "Back to the dashboard from the partner type's cohort",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Revenue Dashboard)",
            run: "click",
        },
        {
            content: "The dashboard comes back grouped by partner type",
            trigger: `${DASHBOARD} h6.o_billing_cohort_group:contains(White-Label Operator)`,
        },
        {
            content: "Start the window ten days ago, after the subscription started",
            trigger: `${DASHBOARD} input[name="date_from"]`,
            run() {
                const input = document.querySelector(`${DASHBOARD} input[name="date_from"]`);
                // ten days before the window's end (the server's today), never the browser's clock
                const end = document.querySelector(`${DASHBOARD} input[name="date_to"]`).value;
                input.value = luxon.DateTime.fromISO(end).minus({days: 10}).toISODate();
                input.dispatchEvent(new Event("change"));
            },
        },
        {
            content: "The window starts with the 700.00 of MRR and no movement: 0% growth",
            trigger: `${DASHBOARD} div[name="mrr"] .small:contains(700.00):contains((0%))`,
        },
    ],
});
