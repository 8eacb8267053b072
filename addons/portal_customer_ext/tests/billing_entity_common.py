from odoo.tests import new_test_user


class BillingEntityCommon:
    """Fixtures for billing entities, built from scratch (no demo data).

    A customer company with two portal contacts (Alice, Bob) and its own invoice address, another customer with its
    portal contact (Rita), a vendor's portal contact, an employee without sales rights and a sales manager; Alice
    and Rita each created a billing entity. Every user has an e-mail of their own: the e-mail is what the
    visibility rule compares.
    """

    @classmethod
    def _portal_user(cls, login: str, name: str, partner, email: str):
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups="base.group_portal",
            name=name,
            parent_id=partner.id,
            email=email,
        )

    @classmethod
    def entity_values(cls, **values) -> dict:
        """:return: a valid billing entity as the portal form sends it (strings), with `values` changed."""
        return {
            "name": "Northwind Subsidiary GmbH",
            "street": "Hauptstrasse 1",
            "street2": "",
            "zip": "10115",
            "city": "Berlin",
            "country_id": str(cls.germany.id),
            "state_id": "",
            "vat": "DE123456789",
            "contact_name": "Nora Payables",
            "email": "payables@northwind-sub.example.com",
            "phone": "+49 30 1234567",
            **values,
        }

    @classmethod
    def _setup_billing_entity_fixtures(cls) -> None:
        env = cls.env
        Partner = env["res.partner"]
        cls.germany = env.ref("base.de")
        cls.customer = Partner.create({"name": "PCE BE Customer", "is_company": True, "customer_rank": 1})
        cls.own_invoice_address = Partner.create(
            {
                "name": "PCE BE Accounts",
                "type": "invoice",
                "parent_id": cls.customer.id,
                "email": "accounts@pce-be-customer.example.com",
            }
        )
        cls.alice = cls._portal_user("pce_be_alice", "Alice Buyer", cls.customer, "alice@pce-be-customer.example.com")
        cls.bob = cls._portal_user("pce_be_bob_user", "Bob Colleague", cls.customer, "bob@pce-be-customer.example.com")
        cls.rival = Partner.create({"name": "PCE BE Rival", "is_company": True, "customer_rank": 1})
        cls.rita = cls._portal_user("pce_be_rita", "Rita Rival", cls.rival, "rita@pce-be-rival.example.com")
        cls.vendor = Partner.create({"name": "PCE BE Vendor", "is_company": True, "supplier_rank": 1})
        cls.victor = cls._portal_user("pce_be_victor", "Victor Vendor", cls.vendor, "victor@pce-be-vendor.example.com")
        cls.employee = new_test_user(
            env, login="pce_be_employee", password="pce_be_employee", groups="base.group_user",
            email="employee@pce-be.example.com",
        )  # fmt: skip
        cls.sales_manager = new_test_user(
            env, login="pce_be_manager", password="pce_be_manager", groups="sales_team.group_sale_manager",
            email="manager@pce-be.example.com",
        )  # fmt: skip

        PartnerSudo = Partner.sudo()
        cls.entity = PartnerSudo._pce_create_billing_entity(cls.alice.partner_id, cls.entity_values())
        cls.rival_entity = PartnerSudo._pce_create_billing_entity(
            cls.rita.partner_id,
            cls.entity_values(name="Rival Holding SA", email="ap@rival-holding.example.com", contact_name="Raoul Ap"),
        )
