from odoo import fields, models


class PceDocumentCategory(models.Model):
    _name = "pce.document.category"
    _description = "Customer Document Category"
    _order = "sequence, name, id"

    # === FIELDS === #

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True, help="What documents of this category are, shown to customers.")
    document_count = fields.Integer(compute="_compute_document_count", string="Documents")

    _sql_constraints = [("name_uniq", "unique (name)", "A document category with this name already exists.")]

    # === COMPUTE METHODS === #

    def _compute_document_count(self):
        counts = dict(
            self.env["pce.document"]._read_group([("category_id", "in", self.ids)], ["category_id"], ["__count"])
        )
        for category in self:
            category.document_count = counts.get(category, 0)
