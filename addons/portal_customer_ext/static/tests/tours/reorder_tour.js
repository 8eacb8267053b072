/** @odoo-module **/

import { registry } from "@web/core/registry";

// A portal customer reorders a confirmed order from /my/orders and lands on the new quotation.
// Data (customer, order PCE-TOUR-ORDER) comes from the Python test: tests/test_reorder_tour.py.
registry.category("web_tour.tours").add("portal_customer_ext_reorder", {
    url: "/my/orders",
    steps: () => [
        {
            content: "open the confirmed order in the order list",
            trigger: "a:contains(/^PCE-TOUR-ORDER$/)",
            run: "click",
        },
        {
            content: "the order page offers Reorder",
            trigger: "#pce_reorder_button",
            run: "click",
        },
        {
            content: "landed on the new quotation, with the thank-you message",
            trigger: ".alert-success:contains(This new quotation repeats your order PCE-TOUR-ORDER)",
        },
        {
            content: "the quotation lists the reordered product",
            trigger: "#sales_order_table:contains(PCE Widget)",
        },
    ],
});
