"""Two acknowledgements of one order at once, on real, separate PostgreSQL connections: two vendor contacts (or
two quick clicks) served by two Odoo workers.

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
from odoo.addons.portal_vendor_ext.models.purchase_order import ACK_REQUIRED_PARAM


# post_install: the worker thread opens its own environment, which needs the registry fully loaded and the
# schema committed.
@tagged("post_install", "-at_install")
class TestAcknowledgeConcurrency(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = sql_db.db_connect(get_db_name())

    def setUp(self):
        super().setUp()
        with self.db.cursor() as cr:
            env = self._env(cr)
            self.enabled_before = env["ir.config_parameter"].get_param(ACK_REQUIRED_PARAM)
            env["ir.config_parameter"].set_param(ACK_REQUIRED_PARAM, "True")
            vendor = env["res.partner"].create({"name": "PVE Concurrent Supplies", "is_company": True})
            contact_a, contact_b = env["res.partner"].create(
                [{"name": "PVE Desk A", "parent_id": vendor.id}, {"name": "PVE Desk B", "parent_id": vendor.id}]
            )
            product = env["product.product"].create({"name": "PVE Concurrent Bolt", "purchase_ok": True})
            order = env["purchase.order"].create(
                {
                    "partner_id": vendor.id,
                    "order_line": [Command.create({"product_id": product.id, "product_qty": 3.0, "price_unit": 2.0})],
                }
            )
            order.button_confirm()
            cr.commit()  # pylint: disable=invalid-commit
            self.partner_ids = (vendor | contact_a | contact_b).ids
            self.product_id, self.order_id = product.id, order.id
            self.contact_a_id, self.contact_b_id = contact_a.id, contact_b.id
        self.addCleanup(self._delete_committed_records)

    def _env(self, cr):
        # The loaded registry is handed over directly: looking it up by name takes Registry._lock, which Odoo's
        # own test runner holds for the whole run, so a worker thread would wait forever.
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def _delete_committed_records(self):
        with self.db.cursor() as cr:
            env = self._env(cr)
            order = env["purchase.order"].browse(self.order_id)
            order.write({"state": "cancel"})
            order.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["ir.config_parameter"].set_param(ACK_REQUIRED_PARAM, self.enabled_before)
            cr.commit()  # pylint: disable=invalid-commit

    def _acknowledge(self, env, contact_id: int) -> bool:
        """What the acknowledge route does once it has checked access and the user."""
        return env["purchase.order"].browse(self.order_id)._pve_acknowledge(env["res.partner"].browse(contact_id))

    def _is_waiting_for_a_lock(self, pid: int) -> bool:
        # A fresh connection each time: statistics views are read once per transaction.
        with self.db.cursor() as cr:
            cr.execute(SQL("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid))
            return cr.fetchone()[0] == "Lock"

    def test_two_concurrent_acknowledgements_record_one(self):
        """B starts while A acknowledges: B's write waits for A, is rolled back once A commits (REPEATABLE READ)
        and, retried by Odoo as an HTTP request is, finds the order acknowledged and changes nothing."""
        results, errors, waited = [], [], False
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            env_a, env_b = self._env(cr_a), self._env(cr_b)
            cr_b.execute(SQL("SELECT pg_backend_pid()"))
            pid_b = cr_b.fetchone()[0]
            self.assertFalse(env_b["purchase.order"].browse(self.order_id).pve_acknowledged_date)

            self.assertTrue(self._acknowledge(env_a, self.contact_a_id))
            env_a.flush_all()  # A's row is written, not committed

            def request_b():
                try:
                    results.append(retrying(partial(self._acknowledge, env_b, self.contact_b_id), env_b))
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
        self.assertEqual(results, [False], "B changed nothing")
        self.assertTrue(waited, "B waited for A")
        with self.db.cursor() as cr:
            order = self._env(cr)["purchase.order"].browse(self.order_id)
            self.assertEqual(order.pve_acknowledged_by_id.id, self.contact_a_id)
            messages = order.message_ids.filtered(lambda message: "Order acknowledged by" in (message.body or ""))
            self.assertEqual(len(messages), 1)
