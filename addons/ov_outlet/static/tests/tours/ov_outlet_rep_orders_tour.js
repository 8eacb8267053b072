import { registry } from "@web/core/registry";

// A sales rep with portal access finds the home entry, searches their orders by outlet and opens one, read-only.
// Data (rep Anna, her order at the Ghent Store) comes from ov_outlet/tests/test_portal_rep_orders.py.
registry.category("web_tour.tours").add("ov_outlet_rep_orders_tour", {
    url: "/my/home",
    steps: () => [
        {
            content: "the home page shows the reps' entry once its count is known",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/rep-orders']",
            run: "click",
        },
        {
            content: "both of Anna's orders are listed",
            trigger: ".ov_rep_order_row:nth-child(2)",
        },
        {
            content: "search in outlets",
            trigger: ".o_portal_search_panel input[name='search']",
            run: "edit GNT",
        },
        {
            trigger: ".o_portal_search_panel button[type=submit]",
            run: "click",
        },
        {
            content: "only the Ghent order is left; open it",
            trigger: ".ov_rep_order_row:only-child td:contains([GNT] Ghent Store)",
        },
        {
            trigger: ".ov_rep_order_row a",
            run: "click",
        },
        {
            content: "the order's lines and total, with nothing to sign or pay",
            trigger: "#ov_rep_order_page .ov_rep_order_line:contains(Outlet Widget)",
        },
        {
            trigger: "#ov_rep_order_totals:contains(360.00):not(:has(button))",
        },
    ],
});
