/** @odoo-module **/

import { registry } from "@web/core/registry";

// A vendor's contact uploads an invoice PDF against one of their purchase orders and finds it in the list, being
// processed. Data (the vendor, its order PVE-TOUR-PO as vendor reference, the PDF of invoice INV/2025/06735 served
// at /web/content/portal_vendor_ext.pve_tour_invoice_pdf) comes from tests/test_vendor_invoice_tour.py.
registry.category("web_tour.tours").add("portal_vendor_ext_vendor_invoice_upload", {
    url: "/my/vendor-invoices",
    steps: () => [
        {
            content: "open the upload form",
            trigger: "#pve_upload_link",
            run: "click",
        },
        {
            content: "choose the invoice PDF",
            trigger: "#pve_files",
            async run() {
                // A browser test cannot drive the file picker: put the file in the input as a drop would.
                const response = await fetch("/web/content/portal_vendor_ext.pve_tour_invoice_pdf");
                const file = new File([await response.blob()], "tour_invoice.pdf", { type: "application/pdf" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "tick the purchase order invoiced",
            trigger: ".form-check:contains(PVE-TOUR-PO) input[name='order_ids']",
            run: "check",
        },
        {
            content: "upload",
            trigger: "#pve_upload_button",
            run: "click",
        },
        {
            content: "the list thanks the vendor",
            trigger: "#pve_uploaded",
        },
        {
            content: "the invoice is listed, being processed",
            trigger: "tr:contains(INV/2025/06735) .pve_state_processing:contains(Processing)",
        },
    ],
});
