from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class OvOutletCommon(BaseCommon):
    """Two channel partners, two sites in two countries, three outlets (two share a site), two sales reps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.channel_north = Partner.create({"name": "North Channel", "is_company": True, "ov_is_channel_partner": True})
        cls.channel_south = Partner.create({"name": "South Channel", "is_company": True, "ov_is_channel_partner": True})
        cls.site_ghent = Partner.create(
            {"name": "Ghent Site", "street": "Veldstraat 1", "city": "Ghent", "country_id": cls.env.ref("base.be").id}
        )
        cls.site_austin = Partner.create(
            {
                "name": "Austin Site",
                "street": "Congress Ave 5",
                "city": "Austin",
                "country_id": cls.env.ref("base.us").id,
            }
        )
        Outlet = cls.env["ov.outlet"]
        cls.outlet_ghent = Outlet.create(
            {
                "name": "Ghent Store",
                "code": "GNT",
                "channel_partner_id": cls.channel_north.id,
                "site_partner_id": cls.site_ghent.id,
            }
        )
        cls.outlet_ghent_kiosk = Outlet.create(
            {
                "name": "Ghent Kiosk",
                "code": "GNT-K",
                "channel_partner_id": cls.channel_north.id,
                "site_partner_id": cls.site_ghent.id,
            }
        )
        cls.outlet_austin = Outlet.create(
            {
                "name": "Austin Store",
                "code": "AUS",
                "channel_partner_id": cls.channel_south.id,
                "site_partner_id": cls.site_austin.id,
            }
        )
        cls.rep_anna = Partner.create({"name": "Anna Rep", "ov_is_sales_rep": True})
        cls.rep_bruno = Partner.create({"name": "Bruno Rep", "ov_is_sales_rep": True})
        cls.customer = Partner.create({"name": "Outlet Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "Outlet Widget", "list_price": 100.0, "invoice_policy": "order", "type": "consu"}
        )

    @classmethod
    def _create_order(cls, outlet=None, rep=None, amount=100.0, qty=1, confirm=True, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "x_outlet_id": outlet.id if outlet else False,
                "x_sales_rep_id": rep.id if rep else False,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": qty, "price_unit": amount, "tax_id": False}
                    )
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def _create_user(cls, login, groups, company=None, companies=None):
        company = company or cls.env.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set((companies or company).ids)],
        )
