import re
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

from ..models.res_users import API_KEY_SCOPE


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


class OvOutletApiCommon(OvOutletCommon):
    """`OvOutletCommon` plus the integration API: its user with a key, and `api()` to call it over real HTTP.

    For `HttpCase` classes (mix it in first): `api()` goes through Odoo's HTTP server, the fastapi dispatcher and
    the API key check, as the sales app would.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("ov_outlet.fastapi_endpoint_ov_outlet")._handle_registry_sync()
        cls.api_user = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Sales App",
                    "login": "sales_app_api",
                    "groups_id": [Command.set([cls.env.ref("ov_outlet.group_ov_outlet_api").id])],
                }
            )
        )
        cls.api_key = cls._new_api_key(cls.api_user)

    @classmethod
    def _new_api_key(cls, user, scope=API_KEY_SCOPE, expiration_date=None):
        return cls.env["res.users.apikeys"].with_user(user).sudo()._generate(scope, "test key", expiration_date)

    def api(self, method, path, json=None, key=None, headers=None, **kwargs):
        """Call the API at `path` (below /api) with `key` (the API user's by default; False for none), and check
        that the answer is one the OpenAPI document declares for that route and status, with a body of its schema.

        :return: the `requests` response
        """
        headers = dict(headers or {})
        key = self.api_key if key is None else key
        if key:
            headers["Authorization"] = f"Bearer {key}"
        url = f"{self.base_url()}/api{path}"
        response = self.opener.request(
            method, url, json=json, headers=headers, timeout=30, allow_redirects=False, **kwargs
        )
        self.assertMatchesOpenApi(method, path, response)
        return response

    def openapi(self):
        if OvOutletApiCommon._openapi_document is None:
            response = self.opener.get(f"{self.base_url()}/api/openapi.json", timeout=30)
            self.assertEqual(response.status_code, 200)
            OvOutletApiCommon._openapi_document = response.json()
        return OvOutletApiCommon._openapi_document

    _openapi_document = None

    def assertMatchesOpenApi(self, method, path, response):
        document = self.openapi()
        route = urlsplit(path).path
        operation = next(
            (
                operations[method.lower()]
                for template, operations in document["paths"].items()
                if method.lower() in operations
                and re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), route)
            ),
            None,
        )
        if operation is None:
            return  # not a route of the API (a 404 of the router itself)
        declared = operation["responses"].get(str(response.status_code))
        self.assertTrue(declared, f"{method} {path} answered {response.status_code}, not in the OpenAPI document")
        schema = declared.get("content", {}).get("application/json", {}).get("schema")
        if schema:
            errors = sorted(
                Draft202012Validator({**schema, "components": document["components"]}).iter_errors(response.json()),
                key=str,
            )
            self.assertFalse(errors, f"{method} {path} {response.status_code}: {errors[:1]}")
