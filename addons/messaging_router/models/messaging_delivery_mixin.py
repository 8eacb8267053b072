from odoo import fields, models


class MessagingDeliveryMixin(models.AbstractModel):
    """For business models: the notifications sent about a record, behind a smart button on its form."""

    _name = "messaging.delivery.mixin"
    _description = "Notification Deliveries Mixin"

    messaging_delivery_count = fields.Integer(
        compute="_compute_messaging_delivery_count",
        string="Notifications",
        groups="messaging_router.group_messaging_router_manager",
    )

    def _compute_messaging_delivery_count(self):
        counts = dict(
            self.env["messaging.delivery"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
            )
        )
        for record in self:
            record.messaging_delivery_count = counts.get(record.id, 0)

    def action_view_messaging_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("messaging_router.messaging_delivery_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
