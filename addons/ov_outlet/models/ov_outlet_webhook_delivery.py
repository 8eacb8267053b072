import json
import logging
from datetime import UTC

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.ai_bridge_core.models.queue_job import CHANNEL_WEBHOOK

from ..tools import asset_client
from ..tools.webhook_signature import IDEMPOTENCY_HEADER, signed_headers

_logger = logging.getLogger(__name__)

EVENT_ORDER_CONFIRMED = "sale.order.confirmed"
DELIVERY_EVENTS = [(EVENT_ORDER_CONFIRMED, "Order confirmed")]
DELIVERY_STATES = [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")]
PARAM_URL = "ov_outlet.asset_webhook_url"
PARAM_SECRET = "ov_outlet.asset_webhook_secret"  # never logged, never in a message
ACTIVE_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")
MANAGER_GROUP = "ov_outlet.group_ov_outlet_manager"


class OvOutletWebhookDelivery(models.Model):
    _name = "ov.outlet.webhook.delivery"
    _description = "Asset System Delivery"
    _order = "id desc"
    _rec_name = "idempotency_key"
    _check_company_auto = True

    # === FIELDS === #
    order_id = fields.Many2one("sale.order", string="Order", required=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    event = fields.Selection(DELIVERY_EVENTS, required=True, readonly=True, default=EVENT_ORDER_CONFIRMED)
    idempotency_key = fields.Char(
        required=True, readonly=True, copy=False, help="Sent in the Idempotency-Key header; one per order event."
    )
    payload = fields.Text(readonly=True, help="The JSON body, frozen when the order was confirmed.")
    state = fields.Selection(DELIVERY_STATES, required=True, readonly=True, default="pending", index=True)
    attempts = fields.Integer(readonly=True, help="Calls made to the asset system by finished runs.")
    last_error = fields.Text(readonly=True)
    sent_at = fields.Datetime(readonly=True)
    response_code = fields.Integer(string="HTTP Status", readonly=True)
    job_id = fields.Many2one("queue.job", string="Job", readonly=True, copy=False)
    job_state = fields.Selection(related="job_id.state", string="Job State")
    job_result = fields.Text(related="job_id.result", string="Job Message")
    entitlement_id = fields.Char(related="order_id.ov_entitlement_id")

    _sql_constraints = [
        ("idempotency_key_uniq", "unique(idempotency_key)", "There is already a delivery for this order event."),
    ]

    # === BUSINESS: CREATION === #
    @api.model
    def _ov_key(self, order, event=EVENT_ORDER_CONFIRMED):
        return f"sale.order/{order.id}/{event.removeprefix('sale.order.')}"

    @api.model
    def _create_for_confirmed_orders(self, orders):
        """Create and enqueue one delivery per confirmed order, unless the order has one already (confirmed again
        after a cancellation) or no asset system URL is configured. Called by ``sale.order._action_confirm``, in
        its transaction, after the confirmation was allowed; runs as superuser since salespeople cannot read
        deliveries.

        :return: the new deliveries
        """
        if not self.env["ir.config_parameter"].sudo().get_param(PARAM_URL):
            return self.browse()
        Delivery = self.sudo()
        existing = set(Delivery.search([("order_id", "in", orders.ids)]).mapped("idempotency_key"))
        deliveries = Delivery.browse()
        for order in orders:
            key = self._ov_key(order)
            if key in existing:
                continue
            deliveries |= Delivery.create(
                {
                    "order_id": order.id,
                    "event": EVENT_ORDER_CONFIRMED,
                    "idempotency_key": key,
                    "payload": self._ov_serialize(self._ov_order_payload(order.sudo())),
                }
            )
        for delivery in deliveries:
            delivery._ov_enqueue(delivery.idempotency_key)
        return deliveries

    @api.model
    def _ov_order_payload(self, order):
        """The body of the ``sale.order.confirmed`` webhook: what the asset system needs to allocate assets.

        :return: a JSON-serializable dict (dates in ISO 8601, UTC; amounts in the order's currency)
        """
        order.ensure_one()
        currency = order.currency_id
        lines = order.order_line.filtered(lambda line: not line.display_type)
        deposit_lines = lines.filtered(lambda line: line.product_id.product_tmpl_id.ov_is_deposit)

        def partner(record, *extra):
            if not record:
                return None
            values = {"id": record.id, "name": record.name}
            values.update({name: record[name] or None for name in extra})
            return values

        date, outlet = order.date_order, order.x_outlet_id
        return {
            "event": EVENT_ORDER_CONFIRMED,
            "order_id": order.id,
            "order_reference": order.name,
            "confirmation_date": date and date.replace(tzinfo=UTC).isoformat(),
            "currency": currency.name,
            "customer": partner(order.partner_id, "email", "ref"),
            "outlet": {"id": outlet.id, "code": outlet.code, "name": outlet.name} if outlet else None,
            "channel_partner": partner(order.x_channel_partner_id, "ref"),
            "sales_rep": partner(order.x_sales_rep_id, "email"),
            "lines": [
                {
                    "product_id": line.product_id.id,
                    "default_code": line.product_id.default_code or None,
                    "name": line.name,
                    "quantity": line.product_uom_qty,
                    "uom": line.product_uom.name,
                    "unit_price": line.price_unit,
                    "subtotal": currency.round(line.price_subtotal),
                    "deposit": bool(line.product_id.product_tmpl_id.ov_is_deposit),
                }
                for line in lines
            ],
            "deposit_amount": currency.round(sum(deposit_lines.mapped("price_subtotal"))),
            "amount_untaxed": currency.round(order.amount_untaxed),
            "amount_total": currency.round(order.amount_total),
        }

    @api.model
    def _ov_serialize(self, payload):
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def _ov_enqueue(self, job_key):
        self.ensure_one()
        job = self.env["queue.job"]._ai_bridge_enqueue(
            self,
            "_job_send",
            channel=CHANNEL_WEBHOOK,
            idempotency_key=job_key,
            description=_(
                "Send %(event)s of %(order)s to the asset system", event=self.event, order=self.order_id.name
            ),
        )
        self.sudo().job_id = job

    # === ACTIONS === #
    def action_send_again(self):
        """Put a pending or failed delivery back in the queue, with the same Idempotency-Key, so the asset system
        recognises a repeat. A sent delivery is never sent twice, and a delivery whose job is still waiting is left
        alone (pressing twice queues one job)."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only outlet managers can send asset system deliveries again."))
        self.check_access("read")
        if sent := self.filtered(lambda delivery: delivery.state == "sent"):
            raise UserError(
                _("Already sent, it cannot be sent twice: %(keys)s", keys=", ".join(sent.mapped("idempotency_key")))
            )
        for delivery in self.sudo():
            job = delivery.job_id.exists()
            if job and job.state in ACTIVE_JOB_STATES:
                continue
            delivery.write({"state": "pending"})
            if job:
                job.requeue()
            else:  # the job was vacuumed: a new one, the delivery's key is unchanged
                delivery._ov_enqueue(f"{delivery.idempotency_key}#{fields.Datetime.now().isoformat()}")
        return True

    # === JOB === #
    def _job_send(self):
        """POST the frozen payload, signed now, to the asset system and store its reply on the order.

        Runs as superuser: the delivery was created by the confirmation, after its access checks. Retryable
        failures (timeouts, refused connections, 429, 5xx) go back to the queue with the suite's backoff while
        attempts are left; the last one, or a permanent failure, marks the delivery failed (the job itself ends
        done, so that this state is committed).
        """
        delivery = self.sudo().exists()
        if not delivery or delivery.state == "sent":
            return "skipped: already sent"
        Job = self.env["queue.job"]
        current = Job._ai_bridge_current()
        attempts = delivery.attempts + (current.retry + 1 if current else 1)
        params = self.env["ir.config_parameter"].sudo()
        url, secret = params.get_param(PARAM_URL), params.get_param(PARAM_SECRET)
        if not url or not secret:
            return delivery._ov_fail(_("The asset system URL or shared secret is not configured."), attempts)
        body = delivery.payload.encode()
        headers = {**signed_headers(secret, body), IDEMPOTENCY_HEADER: delivery.idempotency_key}
        try:
            reply = asset_client.post_event(url, body, headers, timeout=asset_client.DEFAULT_TIMEOUT)
        except asset_client.AssetSystemError as error:
            if error.retryable and Job._ai_bridge_attempts_left():
                # the retry rolls back this run's writes: the error stays the job's message until the next run
                Job._ai_bridge_retry_later(str(error), error.retry_after)
            return delivery._ov_fail(str(error), attempts, error.status)
        return delivery._ov_done(reply, attempts)

    def _ov_fail(self, message, attempts, status=None):
        self.write({"state": "failed", "last_error": message, "attempts": attempts, "response_code": status or 0})
        _logger.info("Asset system delivery %s failed after %s attempt(s)", self.idempotency_key, attempts)
        return f"failed: {message}"

    def _ov_done(self, reply, attempts):
        notes = []
        entitlement = reply.get("entitlement_id")
        allocation = reply.get("asset_allocation")
        order_values = {}
        if isinstance(entitlement, str | int) and not isinstance(entitlement, bool) and str(entitlement):
            order_values["ov_entitlement_id"] = str(entitlement)
        else:
            notes.append(_("The reply has no entitlement_id."))
        if isinstance(allocation, dict | list):
            order_values["ov_asset_allocation"] = json.dumps(allocation, ensure_ascii=False, indent=2, sort_keys=True)
        elif allocation is not None:
            notes.append(_("The reply's asset_allocation is neither an object nor a list; it was not stored."))
        if order_values:
            self.order_id.write(order_values)
        self.write(
            {
                "state": "sent",
                "sent_at": fields.Datetime.now(),
                "attempts": attempts,
                "response_code": reply.status,
                "last_error": " ".join(notes) or False,
            }
        )
        return "sent"
