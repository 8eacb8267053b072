from odoo import api, models
from odoo.tools import SQL


class ProductCustomerinfo(models.Model):
    _inherit = "product.customerinfo"

    # === BUSINESS METHODS === #

    @api.model
    def _pce_get_matcher_codes(self, partner, company):
        """The customer's own codes and product names (OCA `product_customerinfo`), for the product matcher, in
        one query whatever the user (portal customers read no customer info).

        Rows of the contact, its parent and its commercial partner count (as OCA's own look-ups). A row on a
        variant names that variant; a row on the template (no variant) names all the template's sellable variants:
        one of them when there is one, else several, so that the code proposes rather than fills a line and a
        salesperson picks the variant. Only products the matcher's catalog holds for `company` are returned, and a
        code wins over a product name written the same way. Validity dates are prices' business, not codes'.

        :param partner: `res.partner` (the requester)
        :param company: `res.company` of the quotation
        :return: dict mapping each code and product name to a tuple of `product.product` ids
        """
        self.flush_model(["partner_id", "product_id", "product_tmpl_id", "product_code", "product_name", "company_id"])
        self.env["product.product"].flush_model(["active", "product_tmpl_id"])
        self.env["product.template"].flush_model(["active", "sale_ok", "type", "company_id"])
        partners = partner | partner.parent_id | partner.commercial_partner_id
        self.env.cr.execute(
            SQL(
                """SELECT ci.product_code, ci.product_name, pp.id
                     FROM product_customerinfo ci
                     JOIN product_product pp
                       ON pp.id = ci.product_id OR (ci.product_id IS NULL AND pp.product_tmpl_id = ci.product_tmpl_id)
                     JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    WHERE ci.partner_id IN %s
                      AND (ci.company_id IS NULL OR ci.company_id = %s)
                      AND pp.active AND pt.active AND pt.sale_ok AND pt.type != 'combo'
                      AND (pt.company_id IS NULL OR pt.company_id = %s)
                 ORDER BY ci.sequence, ci.id, pp.id""",
                tuple(partners.ids),
                company.id,
                company.id,
            )
        )
        codes: dict[str, list[int]] = {}
        names: dict[str, list[int]] = {}
        for code, name, product_id in self.env.cr.fetchall():
            for table, key in ((codes, (code or "").strip()), (names, (name or "").strip())):
                if key and product_id not in table.setdefault(key, []):
                    table[key].append(product_id)
        for name, product_ids in names.items():
            codes.setdefault(name, product_ids)
        return {key: tuple(product_ids) for key, product_ids in codes.items()}
