from odoo import _, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === BUSINESS METHODS === #

    def _pce_get_portal_credit(self):
        """The credit box of the customer portal: the customer's credit limit, what it uses and what is left.

        Follows the figure of Odoo's own credit warning on quotations and invoices
        (`account.move._build_credit_warning_message`, called by sale's `_compute_partner_credit_warning`): the
        company's *Sales Credit Limit* setting must be on and the commercial partner must have a limit (its own or
        the company's default, both read through the company-dependent `credit_limit`); what is used is the
        commercial partner's open receivables (`credit`) plus what confirmed orders still have to invoice
        (`credit_to_invoice`, computed by sale only while the setting is on), in the company's currency.

        Reads accounting fields that only accountants may read: the portal calls it with sudo, only on the
        commercial partner of the logged-in visitor.

        :return: None when no limit applies, else a dict with `currency` (`res.currency` of the company), `limit`,
                 `receivable`, `to_invoice`, `used` (the last two added), `available` (never below 0), `exceeded`
                 (bool) and `over` (by how much the limit is exceeded, 0 if not)
        :rtype: dict | None
        """
        self.ensure_one()
        company = self.env.company
        if not company.account_use_credit_limit:
            return None
        partner = self.commercial_partner_id.with_company(company)
        currency = company.currency_id
        limit = partner.credit_limit
        if currency.compare_amounts(limit, 0.0) <= 0:
            return None
        receivable = partner.credit
        to_invoice = partner.credit_to_invoice
        used = receivable + to_invoice
        remaining = currency.round(limit - used)
        return {
            "currency": currency,
            "limit": limit,
            "receivable": receivable,
            "to_invoice": to_invoice,
            "used": used,
            "available": max(remaining, 0.0),
            "exceeded": currency.compare_amounts(used, limit) > 0,
            "over": max(-remaining, 0.0),
        }

    # === DOCUMENTS (shared with the customer on /my/documents) === #

    pce_document_count = fields.Integer(
        compute="_compute_pce_document_count",
        string="Shared Documents",
        groups="sales_team.group_sale_salesman",
    )

    def _compute_pce_document_count(self):
        counts = dict(
            self.env["pce.document"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.pce_document_count = counts.get(partner.commercial_partner_id, 0)

    def action_pce_open_documents(self):
        """The *Documents* smart button: the documents shared with the customer, a new one for them preset.

        :return: an `ir.actions.act_window` dict on `pce.document`
        """
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("portal_customer_ext.pce_document_action")
        action.update(
            {
                "name": _("Documents of %s", customer.display_name),
                "context": {"default_partner_id": customer.id, "search_default_partner_id": customer.id},
            }
        )
        return action
