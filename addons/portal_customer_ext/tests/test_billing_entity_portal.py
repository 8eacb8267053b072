from urllib.parse import parse_qs, urlparse

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from ..controllers.billing_entity import CustomerPortalBillingEntity
from .billing_entity_common import BillingEntityCommon
from .common import PortalLoginMixin

PERSONAS = ("portal customer", "other company customer", "vendor", "employee", "sales manager")


@tagged("post_install", "-at_install")
class TestBillingEntityPortal(PortalLoginMixin, BillingEntityCommon, JsonRpcMixin, HttpCase):
    """`/my/billing-entities` (list, new, page) and "Bill to" on `/my/quotation-request`, tried as the public,
    the customer's contact, another customer's contact, a vendor's contact, an employee without sales rights and
    a sales manager; and the entities over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_billing_entity_fixtures()
        cls.personas = {
            "portal customer": cls.alice,
            "other company customer": cls.rita,
            "vendor": cls.victor,
            "employee": cls.employee,
            "sales manager": cls.sales_manager,
        }

    # --- helpers --- #

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def post(self, url, data, csrf=True):
        data = dict(data)
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data, allow_redirects=False)

    def assertRedirect(self, response, path):
        self.assertEqual(response.status_code, 303, response.text[:300] if response.status_code == 200 else "")
        self.assertEqual(urlparse(response.headers["Location"]).path, path)

    def entities(self):
        self.env.invalidate_all()
        return self.env["res.partner"].with_context(active_test=False).search([("type", "=", "invoice")])

    # --- every route, every persona --- #

    def test_anonymous_goes_to_login(self):
        self.login("anonymous")
        for url in ("/my/billing-entities", "/my/billing-entities/new", f"/my/billing-entities/{self.entity.id}"):
            with self.subTest(url=url):
                self.assertRedirect(self.get(url), "/web/login")
        before = self.entities()
        self.assertRedirect(self.post("/my/billing-entities/new", self.entity_values(name="Anon Ltd")), "/web/login")
        self.assertEqual(self.entities(), before)

    def test_the_customer_lists_and_opens_its_entities(self):
        self.login("portal customer")
        page = self.get("/my/billing-entities")
        self.assertEqual(page.status_code, 200)
        for text in (
            "Northwind Subsidiary GmbH",
            "Nora Payables",
            "payables@northwind-sub.example.com",
            "PCE BE Accounts",
        ):
            self.assertIn(text, page.text)
        self.assertNotIn("Rival Holding SA", page.text)
        page = self.get(f"/my/billing-entities/{self.entity.id}")
        self.assertEqual(page.status_code, 200)
        for text in ("Northwind Subsidiary GmbH", "Hauptstrasse 1", "DE123456789", "Nora Payables", "+49 30 1234567"):
            self.assertIn(text, page.text)
        self.assertIn('href="/my/billing-entities"', self.get("/my").text, "entry on /my")

    def test_guessed_ids_go_back_to_my(self):
        """Another customer's entity, a partner that is no entity, an id that does not exist: all the same."""
        missing_id = self.env["res.partner"].search([], order="id desc", limit=1).id + 1000
        self.login("portal customer")
        with mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model"):
            for entity_id in (self.rival_entity.id, self.customer.id, self.rita.partner_id.id, missing_id):
                with self.subTest(entity_id=entity_id):
                    response = self.get(f"/my/billing-entities/{entity_id}")
                    self.assertRedirect(response, "/my")
        self.login("other company customer")
        self.assertRedirect(self.get(f"/my/billing-entities/{self.entity.id}"), "/my")
        page = self.get("/my/billing-entities")
        self.assertIn("Rival Holding SA", page.text)
        self.assertNotIn("Northwind Subsidiary GmbH", page.text)
        self.login(self.bob)
        self.assertRedirect(self.get(f"/my/billing-entities/{self.entity.id}"), "/my")
        self.assertNotIn("Northwind Subsidiary GmbH", self.get("/my/billing-entities").text)

    def test_vendors_and_employees_go_back_to_my(self):
        before = self.entities()
        for who in ("vendor", "employee", "sales manager"):
            self.login(who)
            with self.subTest(persona=who):
                for url in (
                    "/my/billing-entities",
                    "/my/billing-entities/new",
                    f"/my/billing-entities/{self.entity.id}",
                ):
                    self.assertRedirect(self.get(url), "/my")
                response = self.post("/my/billing-entities/new", self.entity_values(name=f"{who} Ltd"))
                self.assertRedirect(response, "/my")
                self.assertNotIn('href="/my/billing-entities"', self.get("/my").text)
        self.assertEqual(self.entities(), before)

    def test_read_only_routes_and_constant_queries(self):
        """Pages that only read use read-only cursors; the list costs the same number of queries for 2 or 8
        entities (companies and countries read in batches)."""
        for method in (
            CustomerPortalBillingEntity.portal_my_billing_entities,
            CustomerPortalBillingEntity.portal_billing_entity_form,
            CustomerPortalBillingEntity.portal_billing_entity_page,
        ):
            self.assertIs(method.original_routing["readonly"], True, method.__name__)
        self.assertFalse(CustomerPortalBillingEntity.portal_billing_entity_create.original_routing.get("readonly"))

        def count_queries():
            self.url_open("/my/billing-entities")  # warm the caches
            before = self.cr.sql_log_count
            response = self.url_open("/my/billing-entities")
            self.assertEqual(response.status_code, 200)
            return self.cr.sql_log_count - before, response.text.count("o_pce_billing_entity_row")

        self.login("portal customer")
        few, rows = count_queries()
        self.assertEqual(rows, 2)
        countries = self.env["res.country"].search([("state_required", "=", False)], limit=6)
        for number, country in enumerate(countries):
            self.env["res.partner"].sudo()._pce_create_billing_entity(
                self.alice.partner_id,
                self.entity_values(name=f"Batch {number} Ltd", country_id=str(country.id), state_id=""),
            )
        many, rows = count_queries()
        self.assertEqual(rows, 8)
        self.assertEqual(many, few)

    # --- creating one --- #

    def test_create_opens_the_new_entity(self):
        self.login("portal customer")
        form = self.get("/my/billing-entities/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn('id="pce_billing_entity_form"', form.text)
        before = self.entities()
        response = self.post(
            "/my/billing-entities/new",
            self.entity_values(name="Contoso Logistics BV", email="invoices@contoso.example.com", vat=""),
        )
        entity = self.entities() - before
        self.assertEqual(len(entity), 1)
        self.assertEqual(
            (entity.parent_id.name, entity.pce_billing_author_id), ("Contoso Logistics BV", self.alice.partner_id)
        )
        self.assertRedirect(response, f"/my/billing-entities/{entity.id}")
        self.assertEqual(
            parse_qs(urlparse(response.headers["Location"]).query)["message"], ["pce_billing_entity_created"]
        )
        page = self.url_open(response.headers["Location"])
        self.assertIn("The billing entity is saved", page.text)
        self.assertIn("Contoso Logistics BV", page.text)

    def test_bad_input_shows_the_form_again_with_what_was_typed(self):
        self.login("portal customer")
        before = self.entities()
        response = self.post(
            "/my/billing-entities/new",
            self.entity_values(name="Typed Company Ltd", city="Typed City", email="typed-but-wrong@", phone="555 0100"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("The invoice e-mail typed-but-wrong@ is not a valid e-mail address.", response.text)
        for typed in ("Typed Company Ltd", "Typed City", "typed-but-wrong@", "555 0100", "Hauptstrasse 1"):
            self.assertIn(typed, response.text)
        self.assertIn(f'<option value="{self.germany.id}" selected="True">Germany</option>', response.text)
        response = self.post("/my/billing-entities/new", self.entity_values(zip="", contact_name=""))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please fill in: ZIP, Invoice contact name.", response.text)
        self.assertEqual(self.entities(), before)

    @mute_logger("odoo.http")
    def test_csrf_required(self):
        self.login("portal customer")
        before = self.entities()
        response = self.post("/my/billing-entities/new", self.entity_values(name="No Token Ltd"), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.entities(), before)

    # --- Bill to on the quotation request --- #

    def _request_data(self, **values):
        return {"text_description": ["Blue paint 5 l"], "text_quantity": ["3"], "text_wanted_date": [""], **values}

    def _requests(self):
        self.env.invalidate_all()
        return self.env["sale.order"].search([("pce_portal_request", "=", True), ("partner_id", "=", self.customer.id)])

    def test_quotation_request_billed_to_a_chosen_entity(self):
        self.login("portal customer")
        form = self.get("/my/quotation-request")
        self.assertIn('name="billing_entity_id"', form.text)
        self.assertIn(f'<option value="{self.entity.id}">Northwind Subsidiary GmbH (Nora Payables)</option>', form.text)
        self.assertNotIn("Rival Holding SA", form.text)
        response = self.post("/my/quotation-request", self._request_data(billing_entity_id=str(self.entity.id)))
        order = self._requests()
        self.assertEqual(len(order), 1, response.text[:500])
        self.assertRedirect(response, f"/my/orders/{order.id}")
        self.assertEqual(order.partner_invoice_id, self.entity)
        page = self.url_open(response.headers["Location"])
        self.assertIn("Nora Payables", page.text, "the quotation shows the invoicing address")

    def test_quotation_request_with_another_customers_entity_is_refused(self):
        self.login("portal customer")
        for entity in (self.rival_entity, self.rita.partner_id):
            with self.subTest(entity=entity.name):
                response = self.post(
                    "/my/quotation-request",
                    self._request_data(billing_entity_id=str(entity.id), reference="PO-KEPT"),
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn("This billing entity does not exist or is not available to you.", response.text)
                self.assertIn("Blue paint 5 l", response.text)
                self.assertIn("PO-KEPT", response.text)
                self.assertNotIn("Rival Holding SA", response.text)
        self.assertFalse(self._requests())

    # --- JSON-RPC --- #

    def test_rpc_portal_users_cannot_read_or_forge_entities(self):
        """Portal users read no entity of another company by RPC, and nobody of the portal sets an author (which
        would show them an entity) or creates partners."""
        targets = self.entity | self.rival_entity
        for who in ("portal customer", "other company customer", "vendor"):
            user = self.login(who)
            with self.subTest(persona=who):
                self.assert_rpc_refused(self.call_kw("res.partner", "read", [targets.ids, ["name", "email"]]))
                found = self.call_kw("res.partner", "search_read", [[("pce_billing_author_id", "!=", False)], ["name"]])
                self.assert_rpc_done(found)
                self.assertFalse({row["id"] for row in found["result"]} & set(targets.ids))
                self.assert_rpc_refused(
                    self.call_kw(
                        "res.partner", "write", [user.partner_id.ids, {"pce_billing_author_id": user.partner_id.id}]
                    )
                )
                self.assert_rpc_refused(
                    self.call_kw(
                        "res.partner", "create", [{"name": "Forged", "type": "invoice", "parent_id": self.rival.id}]
                    )
                )
                # A private method is not callable over RPC at all.
                response = self.call_kw("res.partner", "_pce_billing_entities_visible_to", [user.partner_id.ids])
                self.assertNotIn("result", response)
        self.assertEqual(self.rival_entity.pce_billing_author_id, self.rita.partner_id)
        for who in ("employee", "sales manager"):
            self.login(who)
            with self.subTest(persona=who):
                self.assert_rpc_done(self.call_kw("res.partner", "read", [targets.ids, ["pce_billing_author_id"]]))
