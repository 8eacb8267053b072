from odoo import fields, models

from .messaging_route import CHANNELS


class MessagingPreference(models.Model):
    """A person's own channel for one notification type: it overrides the type's route for them."""

    _name = "messaging.preference"
    _description = "Notification Preference"
    _order = "partner_id, notification_type"

    partner_id = fields.Many2one("res.partner", string="Recipient", required=True, index=True, ondelete="cascade")
    notification_type = fields.Char(
        required=True, help="Technical code of the notification type, e.g. delivery.update."
    )
    channel = fields.Selection(CHANNELS, required=True)
    email = fields.Char(string="Send To", help="E-mails of this type go to this address instead of the contact's own.")

    _sql_constraints = [
        (
            "partner_type_uniq",
            "unique(partner_id, notification_type)",
            "A recipient has one preference per notification type.",
        ),
    ]
