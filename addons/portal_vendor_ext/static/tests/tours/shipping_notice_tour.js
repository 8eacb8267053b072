/** @odoo-module **/

import { registry } from "@web/core/registry";

// A vendor's contact announces the shipment of the open receipt of their purchase order: a quantity over the
// ordered one is refused with what was typed kept, then the corrected notice is sent. Data (the vendor, a
// confirmed order of 5 PVE Steel Bolt and its receipt) comes from tests/test_shipping_notice_tour.py, which opens
// the order's page.
registry.category("web_tour.tours").add("portal_vendor_ext_shipping_notice", {
    steps: () => [
        {
            content: "give the expected date",
            trigger: ".pve_asn_form input[name='expected_date']",
            run() {
                // A date input takes its value in ISO form, whatever the browser's locale.
                this.anchor.value = "2099-01-15";
            },
        },
        {
            content: "give the carrier",
            trigger: ".pve_asn_form input[name='carrier']",
            run: "edit Tour Express",
        },
        {
            content: "give the tracking number",
            trigger: ".pve_asn_form input[name='tracking_ref']",
            run: "edit TOUR-TRACK-1",
        },
        {
            content: "ship more than ordered",
            trigger: ".pve_asn_form input[name$='_qty']",
            async run() {
                // Past the browser's own max check, to see the server's answer.
                this.anchor.removeAttribute("max");
                this.anchor.value = "7";
            },
        },
        {
            content: "send",
            trigger: ".pve_asn_button",
            run: "click",
        },
        {
            content: "the server refuses it",
            trigger: "#pve_asn_error:contains(than ordered)",
        },
        {
            content: "what was typed is kept",
            trigger: ".pve_asn_form input[name='tracking_ref']:value(TOUR-TRACK-1)",
        },
        {
            content: "ship 3",
            trigger: ".pve_asn_form input[name$='_qty']",
            run: "edit 3",
        },
        {
            content: "send again",
            trigger: ".pve_asn_button",
            run: "click",
        },
        {
            content: "the buyer is told",
            trigger: "#pve_asn_success",
        },
    ],
});
