"""Customer product codes on OCA `product.customerinfo`: what the matcher reads, and who manages them."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

from .common import QuotationRequestCommon


class TestCustomerCodes(QuotationRequestCommon, BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_quotation_request_fixtures()
        cls.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.feature_quotation_matching", False)
        cls.contact = cls.customer_user.partner_id
        size = cls.env["product.attribute"].create(
            {"name": "PCEQ Size", "value_ids": [Command.create({"name": name}) for name in ("M", "L", "XL")]}
        )
        cls.gloves = cls.env["product.template"].create(
            {
                "name": "PCEQ Work Gloves",
                "attribute_line_ids": [
                    Command.create({"attribute_id": size.id, "value_ids": [Command.set(size.value_ids.ids)]})
                ],
            }
        )
        cls.glove_m, cls.glove_l, glove_xl = cls.gloves.product_variant_ids
        glove_xl.action_archive()  # not sold any more: its template's codes do not name it
        cls.CustomerInfo = cls.env["product.customerinfo"]

    def _code(self, partner, code, product=None, template=None, name=False, **values):
        template = template or product.product_tmpl_id
        return self.CustomerInfo.create(
            {
                "partner_id": partner.id,
                "product_tmpl_id": template.id,
                "product_id": product.id if product else False,
                "product_code": code,
                "product_name": name,
                **values,
            }
        )

    def _codes(self, partner, company=None):
        return self.CustomerInfo._pce_get_matcher_codes(partner, company or self.env.company)

    def _request(self, text):
        order = self.env["sale.order"].sudo()._pce_create_portal_request(self.contact, [self.request_line(text, 3)])
        return order.pce_request_line_ids

    def test_codes_and_names_of_the_customer_in_one_query(self):
        expected = {"CUST-77": (self.pump.id,), "our basement pump": (self.pump.id,)}
        self.contact.commercial_partner_id  # noqa: B018 (the requester is in the cache, as in a request)
        with self.assertQueryCount(1):
            self.assertEqual(self._codes(self.contact), expected)
        self.assertEqual(self._codes(self.customer), expected)
        self.assertEqual(self._codes(self.rival), {}, "another customer's codes mean nothing")

    def test_template_code_names_all_sellable_variants_and_variant_code_one(self):
        self._code(self.customer, "GLV", template=self.gloves, name="our work gloves")
        self._code(self.customer, "GLV-L", product=self.glove_l)
        codes = self._codes(self.contact)
        self.assertEqual(codes["GLV"], (self.glove_m.id, self.glove_l.id))
        self.assertEqual(codes["our work gloves"], (self.glove_m.id, self.glove_l.id))
        self.assertEqual(codes["GLV-L"], (self.glove_l.id,))

        variant = self._request("GLV-L")
        self.assertEqual((variant.state, variant.product_id), ("matched", self.glove_l))
        self.assertEqual(variant.match_source, "customer_code")
        template = self._request("GLV")
        self.assertEqual(template.state, "proposed", "which size is for the salesperson to say")
        self.assertIn(template.proposed_product_id, self.glove_m | self.glove_l)

    def test_codes_of_the_contact_and_its_company_count_not_a_colleagues(self):
        self._code(self.contact, "CARLA-1", product=self.valve)
        self.assertEqual(self._codes(self.contact)["CARLA-1"], (self.valve.id,))
        self.assertIn("CUST-77", self._codes(self.contact))
        self.assertNotIn("CARLA-1", self._codes(self.colleague_user.partner_id))

    def test_a_code_wins_over_a_name_and_products_outside_the_catalog_are_left_out(self):
        self._code(self.customer, "PCEQ-X", product=self.bolt, name="CUST-77")
        self._code(self.customer, "SPARE", product=self.not_for_sale)
        self._code(self.customer, "DRILL", product=self.other_company_product, company_id=self.other_company.id)
        codes = self._codes(self.contact)
        self.assertEqual(codes["CUST-77"], (self.pump.id,))
        self.assertNotIn("SPARE", codes)
        self.assertNotIn("DRILL", codes)
        self.assertEqual(self._codes(self.contact, self.other_company)["DRILL"], (self.other_company_product.id,))

    def test_customer_name_matches_the_customers_product(self):
        request_line = self._request("4 x Our Basement Pump")
        self.assertEqual((request_line.product_id, request_line.match_source), (self.pump, "customer_code"))

    def test_salesperson_manages_codes_portal_users_see_none(self):
        code = self._code(self.customer, "CUST-88", product=self.bolt).with_user(self.salesman)
        code.product_code = "CUST-89"
        self.CustomerInfo.with_user(self.salesman).create(
            {"partner_id": self.customer.id, "product_tmpl_id": self.valve.product_tmpl_id.id, "product_code": "V"}
        )
        manager = new_test_user(self.env, login="pceq_sales_manager", groups="sales_team.group_sale_manager")
        self.gloves.with_user(manager).write(
            {"customer_ids": [Command.create({"partner_id": self.customer.id, "product_code": "GLOVES"})]}
        )
        self.assertEqual(self._codes(self.customer)["GLOVES"], (self.glove_m.id, self.glove_l.id))
        with self.assertRaises(AccessError):
            self.CustomerInfo.with_user(self.customer_user).search([])
