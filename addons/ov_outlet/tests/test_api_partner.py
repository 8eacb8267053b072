from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import HttpCaseWithUserDemo

from .common import OvOutletApiCommon


@tagged("post_install", "-at_install")
class TestApiPartner(OvOutletApiCommon, HttpCaseWithUserDemo):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = {"name": "Jana Novak", "email": "jana@example.com", "phone": "+32 470 00 00 00"}
        cls.company = {
            "name": "Novak Retail",
            "email": "office@novak.example.com",
            "street": "Main Street 1",
            "zip": "10001",
            "city": "New York",
            "country_code": "US",
            "state_code": "NY",
        }

    def _registered(self):
        return self.env["res.partner"].search([("create_uid", "=", self.api_user.id)])

    def _register(self, headers=None, **body):
        return self.api("POST", "/res.partner", json=body, headers=headers)

    # === REGISTRATION ===#
    def test_register_company_and_contact(self):
        response = self._register(company=self.company, contact=self.contact)
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        company = self.env["res.partner"].browse(body["company"]["id"])
        contact = self.env["res.partner"].browse(body["contact"]["id"])
        self.assertEqual((company.is_company, company.customer_rank > 0, company.name), (True, True, "Novak Retail"))
        self.assertEqual((contact.parent_id, contact.is_company, contact.email), (company, False, "jana@example.com"))
        self.assertEqual(body["contact"]["parent"], {"id": company.id, "name": "Novak Retail"})
        self.assertEqual(
            body["company"]["address"]["state"], {"code": "NY", "name": "New York"}, "state found in its country"
        )
        self.assertEqual(body["contact"]["address"]["city"], "New York", "the contact has the company's address")
        self.assertEqual(body["contact"]["phone"], "+32 470 00 00 00")
        found = self.api("GET", "/res.partner?email=%20JANA@Example.com").json()
        self.assertEqual([item["id"] for item in found["items"]], [contact.id])

    def test_register_contact_alone(self):
        response = self._register(contact={**self.contact, "city": "Ghent", "country_code": "be"})
        self.assertEqual(response.status_code, 201, response.text)
        self.assertIsNone(response.json()["company"])
        self.assertEqual(response.json()["contact"]["address"]["country"], {"code": "BE", "name": "Belgium"})
        self.assertEqual(len(self._registered()), 1)

    def test_duplicate_customer_email_is_a_conflict(self):
        existing = self.env["res.partner"].create(
            {"name": "Jana", "email": "Jana <JANA@example.com>", "customer_rank": 1}
        )
        response = self._register(company=self.company, contact=self.contact)
        self.assertEqual(response.status_code, 409, response.text)
        self.assertIn(f"partner {existing.id}", response.json()["detail"])
        self.assertFalse(self._registered(), "the company was not created either")
        existing.customer_rank = 0  # a contact that is not a customer does not block
        self.assertEqual(self._register(contact=self.contact).status_code, 201)

    def test_bad_registrations_answer_400_by_field(self):
        cases = {
            "contact": {"company": self.company},
            "contact.email": {"contact": {**self.contact, "email": "not an address"}},
            "company.email": {"company": {**self.company, "email": "office@"}, "contact": self.contact},
            "company.country_code": {"company": {**self.company, "country_code": "XX"}, "contact": self.contact},
            "company.state_code": {"company": {**self.company, "state_code": "ZZ"}, "contact": self.contact},
            "contact.city": {"company": self.company, "contact": {**self.contact, "city": "Elsewhere"}},
            "contact.age": {"contact": {**self.contact, "age": 40}},
            "company.name": {"company": {"vat": "BE0477472701"}, "contact": self.contact},
        }
        for field, body in cases.items():
            with self.subTest(field):
                response = self._register(**body)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertIn(field, [error["field"] for error in response.json()["detail"]])
        no_country = self._register(contact={**self.contact, "state_code": "NY"})
        self.assertEqual(no_country.json()["detail"][0]["field"], "contact.state_code")
        malformed = self.api("POST", "/res.partner", data=b"{", headers={"Content-Type": "application/json"})
        self.assertEqual((malformed.status_code, malformed.json()["detail"][0]["field"]), (400, "body"))
        self.assertFalse(self._registered())

    def test_idempotent_registration(self):
        headers = {"Idempotency-Key": "register-1"}
        first = self._register(headers=headers, company=self.company, contact=self.contact)
        second = self._register(headers=headers, company=self.company, contact=self.contact)
        self.assertEqual((first.status_code, second.status_code), (201, 201), first.text)
        self.assertEqual(first.json(), second.json())
        other = self._register(headers=headers, contact={**self.contact, "email": "other@example.com"})
        self.assertEqual(other.status_code, 409)
        self.assertEqual(len(self._registered()), 2)

    # === SEARCH ===#
    def test_search_customers_and_own_partners(self):
        Partner = self.env["res.partner"]
        acme = Partner.create(
            {"name": "Acme Outlet Buyer", "ref": "C-ACME", "customer_rank": 2, "email": "buy@acme.example.com"}
        )
        Partner.create({"name": "Acme Supplier", "supplier_rank": 1})  # not a customer: never listed
        Partner.create({"name": "Acme Archived", "customer_rank": 1, "active": False})
        own = self._register(contact={"name": "Acme Own Contact", "email": "own@acme.example.com"}).json()["contact"]
        by_name = self.api("GET", "/res.partner?name=acme").json()
        self.assertEqual([item["name"] for item in by_name["items"]], ["Acme Outlet Buyer", "Acme Own Contact"])
        self.assertEqual(by_name["total"], 2)
        by_ref = self.api("GET", "/res.partner?ref=C-ACME").json()
        self.assertEqual([item["id"] for item in by_ref["items"]], acme.ids)
        self.assertEqual(self.api("GET", "/res.partner?ref=C-AC").json()["total"], 0, "ref is exact")
        by_email = self.api("GET", "/res.partner?email=OWN@acme.example.com").json()
        self.assertEqual([item["id"] for item in by_email["items"]], [own["id"]])
        page = self.api("GET", "/res.partner?name=acme&limit=1&offset=1").json()
        self.assertEqual(
            (page["total"], page["limit"], page["offset"], [i["name"] for i in page["items"]]),
            (2, 1, 1, ["Acme Own Contact"]),
        )
        bad = self.api("GET", "/res.partner?email=nope&limit=0")
        self.assertEqual(bad.status_code, 400)
        self.assertEqual({error["field"] for error in bad.json()["detail"]}, {"limit"})
        bad = self.api("GET", "/res.partner?email=nope")
        self.assertEqual((bad.status_code, bad.json()["detail"][0]["field"]), (400, "email"))

    def test_keys(self):
        self.assertEqual(self.api("GET", "/res.partner", key=False).status_code, 401)
        self.assertEqual(self._register(contact=self.contact, headers=None).status_code, 201)
        salesman = new_test_user(self.env, login="api_p_sales", groups="sales_team.group_sale_salesman")
        portal = new_test_user(self.env, login="api_p_portal", groups="base.group_portal")
        for user in (salesman, portal):
            key = self._new_api_key(user, scope=None)
            self.assertEqual(self.api("GET", "/res.partner", key=key).status_code, 403)
            response = self.api(
                "POST", "/res.partner", json={"contact": {"name": "X", "email": "x@example.com"}}, key=key
            )
            self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.api("POST", "/res.partner", json={"contact": self.contact}, key="0" * 40).status_code, 401
        )
        self.assertEqual(len(self._registered()), 1)
