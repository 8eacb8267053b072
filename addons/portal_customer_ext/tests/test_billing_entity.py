from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

from .billing_entity_common import BillingEntityCommon


@tagged("post_install", "-at_install")
class TestBillingEntity(BillingEntityCommon, BaseCommon):
    """`res.partner` billing entity methods, the contract shared by the portal and the integration API: who sees
    which entity, what creating one checks and makes, and the quotation request's "Bill to"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_billing_entity_fixtures()

    def visible(self, user):
        return self.env["res.partner"].sudo()._pce_billing_entities_visible_to(user.partner_id)

    def partner_count(self) -> int:
        return self.env["res.partner"].with_context(active_test=False).search_count([])

    # --- creation --- #

    def test_create_makes_a_customer_company_and_its_invoice_contact(self):
        entity = self.entity
        company = entity.parent_id
        self.assertEqual(entity.type, "invoice")
        self.assertEqual(
            (company.name, company.is_company, company.customer_rank, company.vat),
            ("Northwind Subsidiary GmbH", True, 1, "DE123456789"),
        )
        self.assertEqual(
            (entity.name, entity.email, entity.phone, entity.vat),
            ("Nora Payables", "payables@northwind-sub.example.com", "+49 30 1234567", "DE123456789"),
        )
        for record in (company, entity):
            self.assertEqual(
                (record.street, record.zip, record.city, record.country_id),
                ("Hauptstrasse 1", "10115", "Berlin", self.germany),
                "the invoice contact carries the address printed on invoices",
            )
        self.assertEqual(entity.pce_billing_author_id, self.alice.partner_id)
        self.assertFalse(company.pce_billing_author_id)
        self.assertIn("Alice Buyer", company.message_ids[0].body, "a note tells who created it")

    def test_missing_fields_are_listed_together_and_nothing_is_created(self):
        before = self.partner_count()
        values = self.entity_values(name=" ", city="", email="", country_id="")
        with self.assertRaisesRegex(UserError, r"^Please fill in: Company name, City, Country, Invoice e-mail\.$"):
            self.env["res.partner"].sudo()._pce_create_billing_entity(self.alice.partner_id, values)
        self.assertEqual(self.partner_count(), before)

    def test_bad_values_refused_with_the_reason(self):
        before = self.partner_count()
        us = self.env.ref("base.us")
        cases = [
            ({"email": "not an e-mail"}, "is not a valid e-mail address"),
            ({"country_id": "999999"}, "Please choose a country from the list."),
            ({"country_id": "abc"}, "Please choose a country from the list."),
            ({"state_id": str(self.env.ref("base.state_us_25").id)}, "Please choose a state of Germany."),
            ({"name": "N" * 129}, r"Company name is too long \(128 characters at most\)\."),
        ]
        if us.state_required:
            cases.append(({"country_id": str(us.id)}, "Please choose a state or province of United States."))
        for changes, message in cases:
            with self.subTest(changes=changes), self.assertRaisesRegex(UserError, message):
                self.env["res.partner"].sudo()._pce_create_billing_entity(
                    self.alice.partner_id, self.entity_values(**changes)
                )
        self.assertEqual(self.partner_count(), before)

    def test_the_same_entity_twice_is_refused(self):
        before = self.partner_count()
        with self.assertRaisesRegex(UserError, "You already have the billing entity Northwind Subsidiary GmbH."):
            self.env["res.partner"].sudo()._pce_create_billing_entity(
                self.alice.partner_id,
                self.entity_values(name=" northwind subsidiary gmbh ", email="Payables@Northwind-Sub.example.com"),
            )
        self.assertEqual(self.partner_count(), before)
        # Another contact may create the same company for themselves: they do not see Alice's.
        entity = self.env["res.partner"].sudo()._pce_create_billing_entity(self.bob.partner_id, self.entity_values())
        self.assertNotEqual(entity, self.entity)

    def test_portal_users_cannot_create_partners_themselves(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.alice)._pce_create_billing_entity(
                self.alice.partner_id, self.entity_values(name="Direct GmbH")
            )

    # --- visibility --- #

    def test_each_contact_sees_its_own_and_its_company_invoice_addresses(self):
        self.assertEqual(self.visible(self.alice), self.own_invoice_address | self.entity)
        self.assertEqual(self.visible(self.bob), self.own_invoice_address, "a colleague does not see Alice's entity")
        self.assertEqual(self.visible(self.rita), self.rival_entity)
        for user in (self.victor, self.employee, self.sales_manager):
            self.assertFalse(self.visible(user) & (self.entity | self.rival_entity | self.own_invoice_address))

    def test_a_contact_whose_email_is_on_the_entity_company_sees_it(self):
        """An internal user adds Bob (his e-mail, typed with capitals and spaces) as a contact of Alice's entity's
        company: Bob sees that entity; archived, that contact no longer counts."""
        contact = self.env["res.partner"].create(
            {
                "name": "Bob at Northwind",
                "parent_id": self.entity.parent_id.id,
                "email": "  BOB@pce-be-customer.example.com ",
            }
        )
        self.assertIn(self.entity, self.visible(self.bob))
        self.assertNotIn(self.entity, self.visible(self.rita))
        contact.active = False
        self.assertNotIn(self.entity, self.visible(self.bob))

    def test_the_invoice_contact_email_sees_its_entity(self):
        """The invoice contact is a contact of the entity's company: a portal user with that e-mail sees it."""
        payables = self._portal_user(
            "pce_be_payables", "Nora Payables", self.rival, "Payables@northwind-sub.example.com"
        )
        self.assertEqual(self.visible(payables), self.entity)

    def test_an_email_typed_on_the_account_page_is_not_an_identity(self):
        """A portal user signing in with an e-mail sets Bob's e-mail on their own contact (stock /my/account lets
        them): they still see only their own company's invoice addresses, not those Bob's e-mail opens."""
        Partner = self.env["res.partner"]
        Partner.create(
            {
                "name": "Bob at Northwind",
                "parent_id": self.entity.parent_id.id,
                "email": "bob@pce-be-customer.example.com",
            }
        )
        mallory = self._portal_user(
            "mallory@pce-be-rival.example.com", "Mallory", self.rival, "mallory@pce-be-rival.example.com"
        )
        own = self.visible(mallory)
        mallory.partner_id.email = "bob@pce-be-customer.example.com"
        self.assertEqual(self.visible(mallory), own)
        self.assertNotIn(self.entity, self.visible(mallory))

    def test_only_invoice_contacts_of_companies_are_entities(self):
        Partner = self.env["res.partner"]
        delivery = Partner.create({"name": "PCE BE Dock", "type": "delivery", "parent_id": self.customer.id})
        person = Partner.create({"name": "PCE BE Sole Trader", "email": "alice@pce-be-customer.example.com"})
        under_person = Partner.create(
            {"name": "PCE BE Sole Trader Invoices", "type": "invoice", "parent_id": person.id}
        )
        visible = self.visible(self.alice)
        self.assertNotIn(delivery, visible)
        self.assertNotIn(self.customer, visible)
        self.assertNotIn(under_person, visible, "the parent is not a company")

    def test_contact_without_email_sees_only_what_it_created(self):
        self.bob.partner_id.email = False
        self.assertFalse(self.visible(self.bob))
        entity = (
            self.env["res.partner"]
            .sudo()
            ._pce_create_billing_entity(self.bob.partner_id, self.entity_values(name="Bob Trading Ltd"))
        )
        self.assertEqual(self.visible(self.bob), entity)

    def test_without_sudo_record_rules_still_apply(self):
        """Called as the portal user (no sudo), the methods return no more than the user reads anyway."""
        Partner = self.env["res.partner"].with_user(self.alice)
        self.assertEqual(Partner._pce_billing_entities_visible_to(self.alice.partner_id), self.own_invoice_address)

    # --- getter --- #

    def test_getter_returns_a_visible_entity_and_raises_the_same_otherwise(self):
        Partner = self.env["res.partner"].sudo()
        self.assertEqual(Partner._pce_get_billing_entity(self.alice.partner_id, self.entity.id), self.entity)
        self.assertEqual(Partner._pce_get_billing_entity(self.alice.partner_id, str(self.entity.id)), self.entity)
        missing_id = Partner.search([], order="id desc", limit=1).id + 1000
        for entity_id in (
            self.rival_entity.id,
            self.customer.id,
            self.alice.partner_id.id,
            missing_id,
            0,
            -3,
            "x",
            None,
        ):
            with (
                self.subTest(entity_id=entity_id),
                self.assertRaisesRegex(AccessError, "^This billing entity does not exist or is not available to you"),
            ):
                Partner._pce_get_billing_entity(self.alice.partner_id, entity_id)

    # --- quotation request: Bill to --- #

    def _request(self, author, **kwargs):
        line = {"product_id": False, "description": "Blue paint", "quantity": 2.0, "wanted_date": False}
        return self.env["sale.order"].sudo()._pce_create_portal_request(author.partner_id, [line], **kwargs)

    def test_request_billed_to_the_chosen_entity(self):
        order = self._request(self.alice, billing_entity_id=str(self.entity.id))
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.partner_invoice_id, self.entity)
        self.assertEqual(self._request(self.alice).partner_invoice_id, self.own_invoice_address, "default unchanged")

    def test_request_with_an_entity_the_author_cannot_see_is_refused(self):
        orders = self.env["sale.order"].search_count([])
        for entity in (self.rival_entity, self.customer):
            with self.subTest(entity=entity.name), self.assertRaises(AccessError):
                self._request(self.alice, billing_entity_id=entity.id)
        with self.assertRaises(AccessError):
            self._request(self.bob, billing_entity_id=self.entity.id)
        self.assertEqual(self.env["sale.order"].search_count([]), orders)
