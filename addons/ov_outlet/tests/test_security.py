from odoo.exceptions import AccessError

from .common import OvOutletCommon


class TestOvOutletSecurity(OvOutletCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._create_company(name="Outlet Company B")
        cls.outlet_b = cls.env["ov.outlet"].create(
            {"name": "B Store", "code": "B1", "site_partner_id": cls.site_austin.id, "company_id": cls.company_b.id}
        )
        cls.outlet_user = cls._create_user("ov_user", "base.group_user,ov_outlet.group_ov_outlet_user")
        cls.outlet_manager = cls._create_user("ov_manager", "base.group_user,ov_outlet.group_ov_outlet_manager")
        cls.plain_user = cls._create_user("ov_plain", "base.group_user")
        cls.user_b = cls._create_user(
            "ov_user_b", "base.group_user,ov_outlet.group_ov_outlet_user", company=cls.company_b
        )
        cls.user_ab = cls._create_user(
            "ov_user_ab", "base.group_user,ov_outlet.group_ov_outlet_user", companies=cls.env.company | cls.company_b
        )
        cls.salesman = cls._create_user("ov_salesman", "sales_team.group_sale_salesman")
        cls.sales_all = cls._create_user("ov_sales_all", "sales_team.group_sale_salesman_all_leads")
        cls.order_salesman = cls._create_order(cls.outlet_ghent, cls.rep_anna, amount=120.0, user_id=cls.salesman.id)
        cls.order_other = cls._create_order(cls.outlet_austin, cls.rep_bruno, amount=80.0, user_id=cls.sales_all.id)
        cls.order_b = cls._create_order(cls.outlet_b, amount=60.0, company_id=cls.company_b.id, user_id=cls.user_b.id)

    # ACLs
    def test_user_reads_outlets_but_cannot_change_them(self):
        outlet = self.outlet_ghent.with_user(self.outlet_user)
        self.assertEqual(outlet.site_city, "Ghent")
        with self.assertRaises(AccessError):
            outlet.write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["ov.outlet"].with_user(self.outlet_user).create(
                {"name": "X", "code": "X", "site_partner_id": self.site_ghent.id}
            )
        with self.assertRaises(AccessError):
            outlet.unlink()

    def test_manager_creates_edits_and_deletes_outlets(self):
        Outlet = self.env["ov.outlet"].with_user(self.outlet_manager)
        outlet = Outlet.create({"name": "New", "code": "NEW", "site_partner_id": self.site_ghent.id})
        outlet.write({"name": "Renamed"})
        self.assertEqual(outlet.name, "Renamed")
        outlet.unlink()
        self.assertFalse(outlet.exists())

    def test_user_without_outlet_group_cannot_read_outlets(self):
        with self.assertRaises(AccessError):
            self.outlet_ghent.with_user(self.plain_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["ov.outlet.sale.report"].with_user(self.plain_user).search([])

    def test_salespeople_get_the_outlet_groups(self):
        self.assertTrue(self.salesman.has_group("ov_outlet.group_ov_outlet_user"))
        self.assertFalse(self.salesman.has_group("ov_outlet.group_ov_outlet_manager"))
        manager = self._create_user("ov_sale_manager", "sales_team.group_sale_manager")
        self.assertTrue(manager.has_group("ov_outlet.group_ov_outlet_manager"))

    # ov_outlet_rule_company
    def test_outlets_of_other_companies_are_invisible(self):
        Outlet = self.env["ov.outlet"].with_user(self.outlet_user)
        self.assertNotIn(self.outlet_b, Outlet.search([]))
        with self.assertRaises(AccessError):
            self.outlet_b.with_user(self.outlet_user).read(["name"])
        OutletB = self.env["ov.outlet"].with_user(self.user_b)
        self.assertEqual(OutletB.search([("code", "in", ("GNT", "B1"))]), self.outlet_b)

    def test_multi_company_user_sees_the_companies_allowed_in_context(self):
        companies = self.env.company | self.company_b
        Outlet = self.env["ov.outlet"].with_user(self.user_ab)
        self.assertEqual(
            Outlet.with_context(allowed_company_ids=companies.ids).search([("code", "in", ("GNT", "B1"))]),
            self.outlet_ghent | self.outlet_b,
        )
        self.assertEqual(
            Outlet.with_context(allowed_company_ids=self.company_b.ids).search([("code", "in", ("GNT", "B1"))]),
            self.outlet_b,
        )

    # ov_outlet_sale_report_rule_company
    def test_analysis_rows_of_other_companies_are_invisible(self):
        Report = self.env["ov.outlet.sale.report"]
        self.assertEqual(Report.with_user(self.user_b).search([]).order_id, self.order_b)
        self.assertNotIn(self.order_b, Report.with_user(self.outlet_user).search([]).order_id)

    # ov_outlet_sale_report_rule_personal / _all
    def test_salesman_sees_only_own_orders_in_the_analysis(self):
        own = self.env["ov.outlet.sale.report"].with_user(self.salesman).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(own.order_id, self.order_salesman)

    def test_salesman_all_documents_sees_every_order(self):
        rows = (
            self.env["ov.outlet.sale.report"].with_user(self.sales_all).search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(rows.order_id, self.order_salesman | self.order_other)

    def test_outlet_user_without_sales_rights_opens_channel_partners(self):
        partner = self.channel_north.with_user(self.outlet_user)
        self.assertFalse(self.outlet_user.has_group("sales_team.group_sale_salesman"))
        self.assertEqual((partner.ov_outlet_count, partner.ov_channel_order_count), (2, 0))
