from odoo import fields, models


class PveComplianceDocumentType(models.Model):
    _name = "pve.compliance.document.type"
    _description = "Vendor Compliance Document Type"
    _order = "sequence, name, id"

    # === FIELDS === #

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    mandatory = fields.Boolean(
        help="Vendors must keep an approved, valid document of this type: when one expires the vendor is flagged "
        "and new purchase orders show a warning.",
    )
    description = fields.Text(help="Shown to vendors on the upload form.", translate=True)
