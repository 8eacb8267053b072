from odoo import fields, models


class PveVendorInvoiceReject(models.TransientModel):
    _name = "pve.vendor.invoice.reject"
    _description = "Reject Vendor Invoice"

    reason = fields.Text(required=True, help="The vendor reads this in the portal.")

    def action_reject(self):
        """Reject the submissions the wizard was opened on, with the reason."""
        self.ensure_one()
        submissions = self.env["pve.vendor.invoice"].browse(self.env.context.get("active_ids", []))
        submissions._pve_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
