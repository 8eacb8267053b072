from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS === #

    pve_compliance_document_ids = fields.One2many(
        comodel_name="pve.compliance.document", inverse_name="partner_id", string="Compliance Documents"
    )
    pve_compliance_document_count = fields.Integer(
        compute="_compute_pve_compliance_document_count", groups="purchase.group_purchase_user"
    )
    pve_compliance_expired = fields.Boolean(
        string="Expired Mandatory Documents",
        compute="_compute_pve_compliance_expired",
        search="_search_pve_compliance_expired",
        help="A mandatory compliance document of this vendor expired and no approved, valid one replaces it.",
    )

    # === COMPUTES === #

    def _compute_pve_compliance_document_count(self):
        groups = self.env["pve.compliance.document"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.pve_compliance_document_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.model
    def _pve_compliance_expired_ids(self):
        """:return: ids of the commercial partners with an expired mandatory document whose type has no approved
        document still valid today (two grouped reads, whatever the number of vendors)"""
        Document = self.env["pve.compliance.document"].sudo()
        expired = Document._read_group([("state", "=", "expired"), ("mandatory", "=", True)], ["partner_id", "type_id"])
        valid = set(
            Document._read_group(
                [
                    ("state", "=", "approved"),
                    ("mandatory", "=", True),
                    "|",
                    ("valid_until", "=", False),
                    ("valid_until", ">=", fields.Date.context_today(self)),
                ],
                ["partner_id", "type_id"],
            )
        )
        return {partner.id for partner, doc_type in expired if (partner, doc_type) not in valid}

    def _compute_pve_compliance_expired(self):
        flagged = self._pve_compliance_expired_ids()
        for partner in self:
            partner.pve_compliance_expired = partner.commercial_partner_id.id in flagged

    def _search_pve_compliance_expired(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on expired compliance documents."))
        positive = (operator == "=") == value
        return [("commercial_partner_id", "in" if positive else "not in", list(self._pve_compliance_expired_ids()))]

    # === ACTIONS === #

    def action_pve_view_compliance_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("portal_vendor_ext.pve_compliance_document_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_pve_view_scorecard(self):
        """:return: the vendor's scorecard page (``/pve/scorecard/<id>``, purchase users only)"""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/pve/scorecard/{self.commercial_partner_id.id}",
            "target": "self",
        }
