import publicWidget from "@web/legacy/js/public/public_widget";

// Wide portal tables read as one card per row on a phone: each cell takes its column's heading
// (translated, from the table's own <th>) as a label, and portal.scss stacks the cells below
// the small breakpoint. Without JavaScript the table keeps scrolling inside .table-responsive.
publicWidget.registry.PartnerChannelStackedTable = publicWidget.Widget.extend({
    selector: "table.o_portal_stacked",

    start() {
        const labels = [...this.el.querySelectorAll("thead th")].map((th) => th.textContent.trim());
        for (const row of this.el.querySelectorAll("tbody tr")) {
            [...row.children].forEach((cell, index) => {
                if (labels[index]) {
                    cell.dataset.label = labels[index];
                }
            });
        }
        this.el.classList.add("o_portal_stacked_ready");
        return this._super(...arguments);
    },
});
