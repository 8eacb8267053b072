from datetime import datetime, time

from odoo import api, fields, models


class AiBridgeUsage(models.Model):
    """One row per API call (successful or not): tokens, cost and latency, for accounting and the budget."""

    _name = "ai.bridge.usage"
    _description = "AI API Call"
    _order = "id desc"

    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True, readonly=True)
    task_id = fields.Many2one("ai.bridge.task", index=True, readonly=True, ondelete="set null")
    decision_id = fields.Many2one("ai.bridge.decision", index="btree_not_null", readonly=True, ondelete="set null")
    model = fields.Char(readonly=True)
    status = fields.Selection([("ok", "OK"), ("error", "Error")], required=True, readonly=True)
    error_type = fields.Char(readonly=True)
    input_tokens = fields.Integer(readonly=True)
    output_tokens = fields.Integer(readonly=True)
    cache_write_tokens = fields.Integer(readonly=True)
    cache_read_tokens = fields.Integer(readonly=True)
    cost = fields.Float(string="Cost (USD)", digits=(12, 6), readonly=True, aggregator="sum")
    latency_ms = fields.Integer(string="Latency (ms)", readonly=True, aggregator="avg")
    request_id = fields.Char(readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )

    @api.model
    def _record(self, values):
        """Record one API call in its own transaction, committed at once: a call that was answered costs money
        even when the job that made it is then rolled back (retried, failed, or its worker killed).

        Tests run in one transaction that is rolled back at the end, so there the row is written in it.

        The caller's transaction may not see the row (its snapshot can be older), so nothing is returned.
        """
        with self.env["ai.bridge.client"]._committed_env() as env:
            env["ai.bridge.usage"].create(values)

    @api.model
    def _spent_this_month(self):
        """USD spent on API calls since the first day of the current month (UTC), all companies together."""
        today = fields.Date.today()
        month_start = datetime.combine(today.replace(day=1), time.min)
        spent = self.sudo()._read_group([("date", ">=", month_start)], [], ["cost:sum"])
        return spent[0][0] or 0.0
