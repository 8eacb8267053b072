from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "messaging.delivery.mixin"]

    messaging_quiet_start = fields.Float(
        string="Quiet Hours From", help="Local time (the contact's timezone) from which only critical alerts are sent."
    )
    messaging_quiet_end = fields.Float(string="Quiet Hours To", help="Local time when notifications resume.")
    messaging_preference_ids = fields.One2many("messaging.preference", "partner_id", string="Notification Preferences")

    @api.constrains("messaging_quiet_start", "messaging_quiet_end")
    def _check_messaging_quiet_hours(self):
        for partner in self:
            if not (0 <= partner.messaging_quiet_start < 24 and 0 <= partner.messaging_quiet_end < 24):
                raise ValidationError(self.env._("Quiet hours are times of day, from 00:00 to 23:59."))

    def _messaging_quiet_until(self, now=None):
        """When this contact's quiet hours end, if they are in them now; None otherwise.

        :param datetime now: UTC, naive (default: now)
        :return: a naive UTC datetime, or None
        """
        self.ensure_one()
        start, end = self.messaging_quiet_start, self.messaging_quiet_end
        if start == end:
            return None
        timezone = pytz.timezone(self.tz or "UTC")
        local = pytz.utc.localize(now or fields.Datetime.now()).astimezone(timezone)
        hour = local.hour + local.minute / 60
        in_quiet = start <= hour < end if start < end else hour >= start or hour < end
        if not in_quiet:
            return None
        end_time = local.replace(hour=int(end), minute=round(end % 1 * 60), second=0, microsecond=0)
        if end_time <= local:
            end_time += timedelta(days=1)
        return timezone.normalize(end_time).astimezone(pytz.utc).replace(tzinfo=None)
