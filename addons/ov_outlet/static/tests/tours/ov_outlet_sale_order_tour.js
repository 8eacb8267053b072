import { registry } from "@web/core/registry";

// Data comes from ov_outlet/tests/test_ui.py.
registry.category("web_tour.tours").add("ov_outlet_sale_order_tour", {
    steps: () => [
        {
            content: "Create a quotation",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            trigger: ".ui-menu-item > a:contains(Tour Customer)",
            run: "click",
        },
        {
            content: "Pick the outlet by its code",
            trigger: ".o_field_widget[name=x_outlet_id] input",
            run: "edit TOUR-1",
        },
        {
            trigger: ".ui-menu-item > a:contains(Tour Outlet)",
            run: "click",
        },
        {
            content: "The outlet's channel partner is proposed",
            trigger: ".o_field_widget[name=x_channel_partner_id] input:value(Tour Channel)",
        },
        {
            trigger: ".o_field_widget[name=x_sales_rep_id] input",
            run: "edit Tour Rep",
        },
        {
            trigger: ".ui-menu-item > a:contains(Tour Rep)",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_button_save:not(:visible)",
        },
    ],
});
