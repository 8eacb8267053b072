from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import HttpCaseWithUserDemo

from .common import OvOutletApiCommon


@tagged("post_install", "-at_install")
class TestApiBillingEntity(OvOutletApiCommon, HttpCaseWithUserDemo):
    """/api/billing-entities: portal_customer_ext's billing entities (a company and its invoice contact), created
    by the API key's user and found by a customer's e-mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Retail", "is_company": True, "customer_rank": 1})
        cls.acme_buyer = Partner.create({"name": "Ann Buyer", "parent_id": cls.acme.id, "email": "Ann@Acme.example"})
        cls.acme_invoicing = Partner.create(
            {
                "name": "Acme Accounts",
                "type": "invoice",
                "parent_id": cls.acme.id,
                "email": "ap@acme.example",
                "city": "Ghent",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        cls.other = Partner.create({"name": "Other Retail", "is_company": True, "customer_rank": 1})
        cls.other_invoicing = Partner.create(
            {"name": "Other Accounts", "type": "invoice", "parent_id": cls.other.id, "email": "ap@other.example"}
        )

    def _values(self, **values):
        return {
            "name": "Northwind Outlets BV",
            "vat": "BE0477472701",
            "street": "Kouter 1",
            "zip": "9000",
            "city": "Ghent",
            "country_code": "BE",
            "contact_name": "Nora Payables",
            "email": "payables@northwind.example",
            "phone": "+32 9 123 45 67",
            **values,
        }

    def _create(self, key=None, headers=None, **values):
        return self.api("POST", "/billing-entities", json=self._values(**values), key=key, headers=headers)

    def _entities_named(self, name):
        return self.env["res.partner"].search([("parent_id.name", "=", name), ("type", "=", "invoice")])

    def test_create_makes_a_customer_company_and_its_invoice_contact(self):
        response = self._create(street2="Floor 2")
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()
        entity = self.env["res.partner"].browse(answer["id"])
        company = entity.parent_id
        self.assertEqual(
            answer,
            {
                "id": entity.id,
                "company": {"id": company.id, "name": "Northwind Outlets BV", "vat": "BE0477472701"},
                "invoice_contact": {
                    "id": entity.id,
                    "name": "Nora Payables",
                    "email": "payables@northwind.example",
                    "phone": "+32 9 123 45 67",
                },
                "address": {
                    "street": "Kouter 1",
                    "street2": "Floor 2",
                    "zip": "9000",
                    "city": "Ghent",
                    "state": None,
                    "country": {"code": "BE", "name": "Belgium"},
                },
            },
        )
        self.assertTrue(company.is_company)
        self.assertEqual(company.customer_rank, 1)
        self.assertEqual((entity.type, entity.pce_billing_author_id), ("invoice", self.api_user.partner_id))
        self.assertEqual((entity.create_uid, company.create_uid), (self.api_user, self.api_user))
        fetched = self.api("GET", f"/billing-entities/{entity.id}")
        self.assertEqual(fetched.status_code, 200, fetched.text)
        self.assertEqual(fetched.json(), answer)

    def test_states_are_given_by_code(self):
        response = self._create(country_code="us", state_code="tx", zip="73301", city="Austin", vat=None)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["address"]["state"], {"code": "TX", "name": "Texas"})

    def test_visible_by_email_or_created_by_the_caller(self):
        ours = self._create().json()["id"]
        listed = self.api("GET", "/billing-entities")
        self.assertEqual(listed.status_code, 200, listed.text)
        self.assertEqual([item["id"] for item in listed.json()["items"]], [ours])
        self.assertEqual(listed.json()["total"], 1)
        # any contact of Acme (by e-mail, normalized) sees Acme's invoice addresses, not Other's
        by_email = self.api("GET", "/billing-entities?email=%20ann@ACME.example")
        self.assertEqual(by_email.status_code, 200, by_email.text)
        self.assertEqual({item["id"] for item in by_email.json()["items"]}, {ours, self.acme_invoicing.id})
        self.assertEqual(self.api("GET", f"/billing-entities/{self.acme_invoicing.id}").status_code, 404)
        found = self.api("GET", f"/billing-entities/{self.acme_invoicing.id}?email=ann@acme.example")
        self.assertEqual(found.status_code, 200, found.text)
        self.assertEqual(found.json()["company"]["name"], "Acme Retail")
        unknown_email = self.api("GET", "/billing-entities?email=nobody@nowhere.example").json()
        self.assertEqual([item["id"] for item in unknown_email["items"]], [ours])
        page = self.api("GET", "/billing-entities?email=ann@acme.example&limit=1&offset=1").json()
        self.assertEqual((page["total"], page["limit"], page["offset"], len(page["items"])), (2, 1, 1, 1))

    def test_foreign_and_unknown_ids_are_not_found(self):
        other_api_user = new_test_user(self.env, login="be_other_app", groups="ov_outlet.group_ov_outlet_api")
        theirs = self._create(key=self._new_api_key(other_api_user), name="Theirs NV").json()["id"]
        for entity_id, label in (
            (theirs, "another API user's"),
            (self.other_invoicing.id, "another customer's"),
            (self.acme.id, "a company, not an invoice contact"),
            (self.acme_buyer.id, "a contact, not an invoice contact"),
            (999999999, "unknown"),
        ):
            with self.subTest(entity=label):
                response = self.api("GET", f"/billing-entities/{entity_id}?email=ann@acme.example")
                self.assertEqual(response.status_code, 404, response.text)
        self.assertNotIn(theirs, [item["id"] for item in self.api("GET", "/billing-entities").json()["items"]])

    def test_the_same_entity_twice_is_refused(self):
        self.assertEqual(self._create().status_code, 201)
        again = self._create(email="PAYABLES@northwind.example", phone=None)
        self.assertEqual(again.status_code, 409, again.text)
        self.assertIn("Northwind Outlets BV", again.json()["detail"])
        self.assertEqual(len(self._entities_named("Northwind Outlets BV")), 1)
        self.assertEqual(
            len(self.env["res.partner"].search([("name", "=", "Northwind Outlets BV"), ("is_company", "=", True)])), 1
        )
        self.assertEqual(self._create(email="other@northwind.example").status_code, 201, "another invoice e-mail")

    def test_bad_bodies_answer_400_per_field_and_create_nothing(self):
        cases = (
            ({"email": "not-an-email"}, "email"),
            ({"country_code": "XX"}, "country_code"),
            ({"country_code": "BEL"}, "country_code"),
            ({"country_code": "US", "state_code": None}, "state_code"),
            ({"country_code": "BE", "state_code": "TX"}, "state_code"),
            ({"name": ""}, "name"),
            ({"name": "N" * 129}, "name"),
            ({"zip": None}, "zip"),
            ({"company_id": 1}, "company_id"),
            ({"contact_name": 42}, "contact_name"),
        )
        for values, field in cases:
            with self.subTest(field=field, values=values):
                response = self._create(**values)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertIn(field, [error["field"] for error in response.json()["detail"]])
        missing = self.api("POST", "/billing-entities", json={"name": "Only A Name"})
        self.assertEqual(missing.status_code, 400, missing.text)
        self.assertLessEqual(
            {"street", "zip", "city", "country_code", "contact_name", "email"},
            {error["field"] for error in missing.json()["detail"]},
        )
        malformed = self.api("POST", "/billing-entities", data=b"{", headers={"Content-Type": "application/json"})
        self.assertEqual(malformed.status_code, 400, malformed.text)
        bad_query = self.api("GET", "/billing-entities?email=not-an-email")
        self.assertEqual(bad_query.status_code, 400, bad_query.text)
        self.assertEqual(bad_query.json()["detail"][0]["field"], "email")
        self.assertFalse(self._entities_named("Northwind Outlets BV"))
        self.assertFalse(self._entities_named("Only A Name"))

    def test_idempotent_retries(self):
        headers = {"Idempotency-Key": "be-1"}
        first = self._create(headers=headers)
        self.assertEqual(first.status_code, 201, first.text)
        retry = self._create(headers=headers)
        self.assertEqual((retry.status_code, retry.json()), (201, first.json()))
        self.assertEqual(len(self._entities_named("Northwind Outlets BV")), 1)
        other_body = self._create(headers=headers, name="Another Company")
        self.assertEqual(other_body.status_code, 409, other_body.text)
        self.assertFalse(self._entities_named("Another Company"))

    def test_who_may_call(self):
        self.assertEqual(self._create(key=False).status_code, 401)
        self.assertEqual(self.api("GET", "/billing-entities", key=False).status_code, 401)
        self.assertEqual(self.api("GET", f"/billing-entities/{self.acme_invoicing.id}", key="wrong").status_code, 401)
        portal = new_test_user(self.env, login="be_portal", groups="base.group_portal", email="ann@acme.example")
        internal = new_test_user(self.env, login="be_internal", groups="base.group_user")
        salesman = new_test_user(self.env, login="be_salesman", groups="sales_team.group_sale_salesman")
        for user in (portal, internal, salesman):
            with self.subTest(user=user.login):
                key = self._new_api_key(user)
                self.assertEqual(self._create(key=key).status_code, 403)
                self.assertEqual(self.api("GET", "/billing-entities", key=key).status_code, 403)
        self.assertFalse(self._entities_named("Northwind Outlets BV"))
