from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.webhook_signature import TOLERANCE


class OvOutletSignedRequest(models.Model):
    """The signature of each signed request the asset system made and Odoo accepted, so that the same request sent
    again (a replay) is refused. A signature is valid for `TOLERANCE` seconds only: older ones are forgotten."""

    _name = "ov.outlet.signed.request"
    _description = "Accepted Signed Request"
    _order = "id desc"
    _log_access = False

    signature = fields.Char(required=True, readonly=True)
    accepted_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)

    _sql_constraints = [("signature_uniq", "unique(signature)", "A signed request is accepted once.")]

    @api.model
    def _ov_accept(self, signature):
        """Record `signature` as used, in the current transaction.

        A concurrent request with the same signature waits on the unique index until this transaction ends, then
        fails to serialize (repeatable read) and Odoo retries it, which finds the signature used.

        :return: False when the signature was already accepted (a replay)
        """
        self.env.cr.execute(
            SQL(
                """INSERT INTO ov_outlet_signed_request (signature, accepted_at)
                   VALUES (%s, now() at time zone 'utc')
                   ON CONFLICT (signature) DO NOTHING
                   RETURNING id""",
                signature,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.autovacuum
    def _gc_expired_signatures(self):
        self.env.cr.execute(
            SQL(
                """DELETE FROM ov_outlet_signed_request
                    WHERE accepted_at < now() at time zone 'utc' - %s * interval '1 second'""",
                2 * TOLERANCE,
            )
        )
