from psycopg2 import IntegrityError

from odoo.tools import mute_logger

from .common import OvOutletCommon


class TestOvOutlet(OvOutletCommon):
    def test_address_is_read_through_the_site_partner(self):
        self.assertEqual(self.outlet_ghent.site_city, "Ghent")
        self.assertEqual(self.outlet_ghent.site_street, "Veldstraat 1")
        self.assertEqual(self.outlet_ghent.site_country_id, self.env.ref("base.be"))
        self.site_ghent.write({"street": "Korenmarkt 9", "city": "Gent", "zip": "9000"})
        for outlet in self.outlet_ghent | self.outlet_ghent_kiosk:
            self.assertEqual((outlet.site_street, outlet.site_city, outlet.site_zip), ("Korenmarkt 9", "Gent", "9000"))

    def test_outlet_stores_no_address_of_its_own(self):
        stored = {name for name, field in self.env["ov.outlet"]._fields.items() if field.store}
        self.assertFalse(stored & {"street", "street2", "zip", "city", "state_id", "country_id"})
        self.assertFalse({name for name in stored if name.startswith("site_") and name != "site_partner_id"})

    def test_code_is_unique_per_company(self):
        other_company = self._create_company(name="Other Outlet Co")
        same_code_elsewhere = self.env["ov.outlet"].create(
            {"name": "Elsewhere", "code": "GNT", "site_partner_id": self.site_ghent.id, "company_id": other_company.id}
        )
        self.assertEqual(same_code_elsewhere.code, "GNT")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["ov.outlet"].create({"name": "Duplicate", "code": "GNT", "site_partner_id": self.site_ghent.id})

    def test_display_name_and_search_by_code(self):
        self.assertEqual(self.outlet_austin.display_name, "[AUS] Austin Store")
        found = self.env["ov.outlet"].name_search("GNT-K")
        self.assertEqual([outlet_id for outlet_id, _name in found], self.outlet_ghent_kiosk.ids)

    def test_partner_smart_buttons(self):
        self._create_order(self.outlet_ghent, self.rep_anna)
        self._create_order(self.outlet_ghent_kiosk, self.rep_anna)
        self._create_order(self.outlet_austin, self.rep_bruno)
        self.assertEqual(self.channel_north.ov_outlet_count, 2)
        self.assertEqual(self.channel_north.ov_channel_order_count, 2)
        self.assertEqual(self.rep_anna.ov_sales_rep_order_count, 2)
        self.assertEqual(self.outlet_ghent.sale_order_count, 1)

        outlets_action = self.channel_north.action_view_ov_outlets()
        self.assertEqual(
            self.env["ov.outlet"].search(outlets_action["domain"]), self.outlet_ghent | self.outlet_ghent_kiosk
        )
        rep_action = self.rep_anna.with_context(ov_by_sales_rep=True).action_view_ov_sale_orders()
        self.assertEqual(self.env["sale.order"].search_count(rep_action["domain"]), 2)
        outlet_action = self.outlet_austin.action_view_sale_orders()
        self.assertEqual(self.env["sale.order"].search(outlet_action["domain"]).x_sales_rep_id, self.rep_bruno)
