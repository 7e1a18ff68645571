import publicWidget from "@web/legacy/js/public/public_widget";
import { loadBundle } from "@web/core/assets";

// The portal's charts: the server draws them as SVG (the PDF's picture, and what a browser
// without JavaScript keeps); where scripts run, Chart.js (web.chartjs_lib, loaded on demand)
// redraws them fluid to the screen's width, with tooltips. The figures come in data-chart.
const COLOR = "#1f7a8c";

function chartConfig(spec) {
    const series = spec.series[0];
    const dataset = {
        label: series.label,
        data: series.values,
        borderColor: COLOR,
        backgroundColor: spec.kind === "bar" ? COLOR : "rgba(31, 122, 140, 0.18)",
        fill: spec.kind === "radar" || Boolean(spec.area),
        spanGaps: true,
        pointRadius: 3,
    };
    const options = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
    };
    if (spec.kind === "radar") {
        options.scales = { r: { min: 0, max: spec.max || undefined, ticks: { display: false } } };
    } else {
        const valueAxis = { beginAtZero: true, max: spec.max || undefined };
        options.scales = spec.kind === "bar" ? { x: valueAxis } : { y: valueAxis };
        if (spec.kind === "bar") {
            options.indexAxis = "y";
        }
    }
    return { type: spec.kind, data: { labels: spec.labels, datasets: [dataset] }, options };
}

publicWidget.registry.PartnerChannelPortalChart = publicWidget.Widget.extend({
    selector: ".o_portal_chart[data-chart]",

    async start() {
        await this._super(...arguments);
        const spec = JSON.parse(this.el.dataset.chart);
        await loadBundle("web.chartjs_lib");
        const box = document.createElement("div");
        box.className = "o_portal_chart_canvas position-relative w-100";
        // bars: one row per label; the other kinds keep a steady height on every screen
        const rows = spec.labels.length;
        box.style.height = spec.kind === "bar" ? `${Math.max(rows, 1) * 34 + 40}px` : "260px";
        const canvas = document.createElement("canvas");
        canvas.setAttribute("role", "img");
        box.appendChild(canvas);
        this.el.querySelector("svg")?.classList.add("d-none");
        this.el.appendChild(box);
        this.chart = new window.Chart(canvas, chartConfig(spec));
        this.el.classList.add("o_portal_chart_ready");
    },

    destroy() {
        this.chart?.destroy();
        this._super(...arguments);
    },
});
