"""Two reorders of one order at once, on real, separate PostgreSQL connections: two quick clicks served by two
Odoo workers.

These tests commit on their own connections, never on the test's cursor (the test transaction cannot show
uncommitted rows to another connection), and delete what they committed at the end.
"""

import threading
import time
from functools import partial

from odoo import SUPERUSER_ID, api, sql_db
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import get_db_name, tagged
from odoo.tools import SQL

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.portal_customer_ext.models.sale_order import REORDER_ENABLED_PARAM


# post_install: the worker thread opens its own environment, which needs the registry fully loaded and the
# schema committed.
@tagged("post_install", "-at_install")
class TestReorderConcurrency(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = sql_db.db_connect(get_db_name())

    def setUp(self):
        super().setUp()
        with self.db.cursor() as cr:
            env = self._env(cr)
            self.enabled_before = env["ir.config_parameter"].get_param(REORDER_ENABLED_PARAM)
            env["ir.config_parameter"].set_param(REORDER_ENABLED_PARAM, "True")
            customer = env["res.partner"].create({"name": "PCE Concurrent Customer", "is_company": True})
            contact = env["res.partner"].create({"name": "PCE Concurrent Buyer", "parent_id": customer.id})
            product = env["product.product"].create({"name": "PCE Concurrent Widget", "list_price": 4.0})
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 6.0})],
                }
            )
            order.action_confirm()
            cr.commit()  # pylint: disable=invalid-commit
            self.partner_ids, self.product_id, self.order_id = (customer | contact).ids, product.id, order.id
            self.contact_id = contact.id
        self.addCleanup(self._delete_committed_records)

    def _env(self, cr):
        # The loaded registry is handed over directly: looking it up by name takes Registry._lock, which Odoo's
        # own test runner holds for the whole run, so a worker thread would wait forever.
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def _delete_committed_records(self):
        with self.db.cursor() as cr:
            env = self._env(cr)
            orders = env["sale.order"].search(
                ["|", ("id", "=", self.order_id), ("pce_reordered_from_id", "=", self.order_id)]
            )
            orders.write({"state": "cancel"})
            orders.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["ir.config_parameter"].set_param(REORDER_ENABLED_PARAM, self.enabled_before)
            cr.commit()  # pylint: disable=invalid-commit

    def _reorder(self, env):
        """What the reorder route does once it has checked access: reorder as the customer's contact."""
        order = env["sale.order"].browse(self.order_id)
        return order._pce_create_reorder(author=env["res.partner"].browse(self.contact_id))[0].id

    def _is_waiting_for_a_lock(self, pid: int) -> bool:
        # A fresh connection each time: statistics views are read once per transaction.
        with self.db.cursor() as cr:
            cr.execute(SQL("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid))
            return cr.fetchone()[0] == "Lock"

    def test_two_concurrent_reorders_create_one_quotation(self):
        """B starts while A is reordering: B waits for A's lock, then returns A's quotation.

        B runs inside Odoo's own retry loop, as an HTTP request does: under REPEATABLE READ, B may be rolled
        back with a serialization failure once A commits, and then runs again on a fresh snapshot.
        """
        results, errors, waited = [], [], False
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            env_a, env_b = self._env(cr_a), self._env(cr_b)
            # B's request has started (session, access check) before A commits: its snapshot is taken.
            cr_b.execute(SQL("SELECT pg_backend_pid()"))
            pid_b = cr_b.fetchone()[0]
            self.assertEqual(env_b["sale.order"].browse(self.order_id).state, "sale")

            quotation_a = self._reorder(env_a)  # not committed yet

            def request_b():
                try:
                    results.append(retrying(partial(self._reorder, env_b), env_b))
                except Exception as error:  # noqa: BLE001 - reported by the assertion below
                    errors.append(repr(error))

            thread = threading.Thread(target=request_b)
            thread.start()
            try:
                deadline = time.monotonic() + 30
                while thread.is_alive() and time.monotonic() < deadline and not waited:
                    waited = self._is_waiting_for_a_lock(pid_b)
                    time.sleep(0.05)
            finally:
                cr_a.commit()  # pylint: disable=invalid-commit
                thread.join(timeout=60)

        self.assertEqual(errors, [])
        with self.db.cursor() as cr:
            reorders = self._env(cr)["sale.order"].search([("pce_reordered_from_id", "=", self.order_id)]).ids
        self.assertEqual(reorders, [quotation_a], "one quotation for the two requests")
        self.assertEqual(results, [quotation_a], "B lands on A's quotation")
        self.assertTrue(waited, "B waited for A's lock on the order")
