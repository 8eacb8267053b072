from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.osv import expression
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

CONFIRMED_ORDERS = [f"ov_outlet.sale_order_outlet_{n}_demo" for n in range(1, 17)]
QUOTATIONS = ["ov_outlet.sale_order_outlet_quotation_1_demo", "ov_outlet.sale_order_outlet_quotation_2_demo"]
ANALYSIS_ACTIONS = [
    "ov_outlet.ov_outlet_sale_report_action_channel",
    "ov_outlet.ov_outlet_sale_report_action_outlet",
    "ov_outlet.ov_outlet_sale_report_action_sales_rep",
]


@tagged("post_install", "-at_install")
class TestOvOutletDemoData(TransactionCase):
    """The demo shows every feature with believable figures: confirmed orders of the four outlets, both channel
    partners and the three reps over several months, and analysis menus that open on them without an empty group.

    The subject is the demo data itself, so this needs a database installed with demo data (scripts/test and
    scripts/serve make one).
    """

    def setUp(self):
        super().setUp()
        if not self.env["ir.module.module"]._get("ov_outlet").demo:
            self.skipTest("ov_outlet is installed without its demo data")

    def _refs(self, xmlids: list[str]):
        records = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in xmlids]
        self.assertEqual([xmlid for xmlid, record in zip(xmlids, records, strict=True) if not record], [])
        return records[0].union(*records)

    def _demo(self, *names: str):
        return self._refs([f"ov_outlet.{name}_demo" for name in names])

    def _default_search(self, action_xmlid: str) -> tuple[list, list[str]]:
        """The domain and group-bys an analysis action opens with, read as the web client does: its
        ``search_default_*`` context keys resolved through its search view, group-bys ranked by their value.

        :param action_xmlid: the window action of the menu
        :return: (domain, group-by specifications)
        """
        action = self.env.ref(action_xmlid)
        defaults = {
            key.removeprefix("search_default_"): value
            for key, value in safe_eval(action.context or "{}").items()
            if key.startswith("search_default_") and value
        }
        arch = self.env[action.res_model].get_view(action.search_view_id.id, "search")["arch"]
        domains, groupbys = [], []
        for node in etree.fromstring(arch).iter("filter"):
            if node.get("name") not in defaults:
                continue
            if node.get("domain"):
                domains.append(safe_eval(node.get("domain")))
            if node.get("context"):
                groupbys.append((defaults[node.get("name")], safe_eval(node.get("context"))["group_by"]))
        groupbys.sort(key=lambda rank_groupby: rank_groupby[0])  # a stable sort, like the web client's
        return (expression.AND(domains) if domains else []), [groupby for _rank, groupby in groupbys]

    def _default_analysis(self, action_xmlid: str, user_xmlid: str = "base.user_admin") -> dict:
        """The first level of an analysis as its menu opens it for a user.

        :return: {group: (order count, revenue)}
        """
        domain, groupbys = self._default_search(action_xmlid)
        report = self.env["ov.outlet.sale.report"].with_user(self.env.ref(user_xmlid))
        groups = report._read_group(domain, groupbys[:1], ["order_count:sum", "revenue:sum"])
        return {group: (count, round(revenue, 2)) for group, count, revenue in groups}

    def test_intended_orders_are_confirmed_and_the_quotations_are_not(self):
        self.assertEqual(set(self._refs(CONFIRMED_ORDERS).mapped("state")), {"sale"})
        self.assertEqual(set(self._refs(QUOTATIONS).mapped("state")), {"draft"})

    def test_orders_cover_outlets_channel_partners_reps_and_months(self):
        orders = self._refs(CONFIRMED_ORDERS)
        self.assertEqual(
            orders.x_outlet_id,
            self._demo("ov_outlet_brussels", "ov_outlet_antwerp", "ov_outlet_chicago", "ov_outlet_evanston"),
        )
        self.assertEqual(orders.x_channel_partner_id, self._demo("res_partner_northwind", "res_partner_lakeside"))
        self.assertEqual(
            orders.x_sales_rep_id,
            self._demo("res_partner_rep_lena", "res_partner_rep_sofia", "res_partner_rep_marcus"),
        )
        dates = orders.mapped("date_order")
        self.assertLessEqual(max(dates), fields.Datetime.now())
        self.assertLessEqual(max(dates) - relativedelta(months=6), min(dates), "spread over six months at most")
        self.assertGreaterEqual(len({date.strftime("%Y-%m") for date in dates}), 4, "spread over several months")

    def test_analyses_open_without_an_empty_group(self):
        for action in ANALYSIS_ACTIONS:
            with self.subTest(action=action):
                groups = self._default_analysis(action)
                self.assertTrue(groups)
                self.assertTrue(all(groups), f"an empty (None) group: {groups}")

    def test_analyses_show_the_figures_of_the_readme(self):
        northwind, lakeside = self._demo("res_partner_northwind", "res_partner_lakeside")
        lena, sofia, marcus = self._demo("res_partner_rep_lena", "res_partner_rep_sofia", "res_partner_rep_marcus")
        # Marc Demo took every outlet order, so the admin and the demo login (a salesperson who sees only his own
        # orders) see the same figures.
        for user in ("base.user_admin", "base.user_demo"):
            with self.subTest(user=user):
                self.assertEqual(
                    self._default_analysis("ov_outlet.ov_outlet_sale_report_action_channel", user),
                    {northwind: (8, 15719.0), lakeside: (8, 12465.0)},
                )
                self.assertEqual(
                    self._default_analysis("ov_outlet.ov_outlet_sale_report_action_outlet", user),
                    {"Antwerp": (4, 7338.0), "Brussels": (4, 8381.0), "Chicago": (4, 7902.0), "Evanston": (4, 4563.0)},
                )
                self.assertEqual(
                    self._default_analysis("ov_outlet.ov_outlet_sale_report_action_sales_rep", user),
                    {lena: (4, 10131.0), sofia: (4, 5588.0), marcus: (8, 12465.0)},
                )

    def test_outlet_analysis_groups_by_city_then_outlet(self):
        self.assertEqual(
            self._default_search("ov_outlet.ov_outlet_sale_report_action_outlet")[1], ["outlet_city", "outlet_id"]
        )

    def test_subscription_has_usage_over_its_allowance_ready_to_invoice(self):
        order = self._demo("sale_order_subscription")
        plan, overage, deposit = self._demo(
            "product_battery_swap_subscription", "product_extra_battery_swap", "product_battery_deposit"
        )
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.x_outlet_id, "the outlet analysis keeps the figures of the README")
        self.assertEqual(order.ov_usage_event_ids.mapped("event_id"), ["demo-swap-0002", "demo-swap-0001"])
        self.assertEqual(order._ov_usage_totals(plan), {"total_used": 10.0, "allowance": 8.0, "over_allowance": 2.0})
        overage_line = order.order_line.filtered(lambda line: line.product_id == overage)
        self.assertEqual((overage_line.qty_delivered, overage_line.qty_to_invoice), (2.0, 2.0))
        self.assertTrue(deposit.ov_is_deposit)
        payload = self.env["ov.outlet.webhook.delivery"]._ov_order_payload(order)
        self.assertEqual(payload["deposit_amount"], 50.0)
