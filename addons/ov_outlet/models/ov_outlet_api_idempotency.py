from odoo import api, fields, models
from odoo.tools import SQL


class OvOutletApiIdempotency(models.Model):
    """The first answer given to an ``Idempotency-Key`` of the integration API, kept so that a retry gets it again."""

    _name = "ov.outlet.api.idempotency"
    _description = "Integration API Idempotency Key"
    _order = "id desc"
    _retention_days = 30  # days a key is remembered

    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="cascade", index=True)
    key = fields.Char(required=True, readonly=True)
    fingerprint = fields.Char(required=True, readonly=True, help="SHA-256 of the route and the request body.")
    response_status = fields.Integer(readonly=True)
    response_body = fields.Json(readonly=True)

    _sql_constraints = [
        ("user_key_uniq", "unique(user_id, key)", "An idempotency key is used once per API user."),
    ]

    @api.model
    def _claim(self, user, key, fingerprint):
        """The record of `key` for `user`: created now with `fingerprint`, or the existing one.

        A concurrent request with the same key waits on the unique index until the first one ends; under
        PostgreSQL's repeatable read the conflict then fails to serialize and Odoo retries the request, which finds
        the first answer.
        """
        self.env.cr.execute(
            SQL(
                """INSERT INTO ov_outlet_api_idempotency (user_id, key, fingerprint, create_uid, create_date,
                                                          write_uid, write_date)
                   VALUES (%(user)s, %(key)s, %(fingerprint)s, %(uid)s, now() at time zone 'utc', %(uid)s,
                           now() at time zone 'utc')
                   ON CONFLICT (user_id, key) DO NOTHING""",
                user=user.id,
                key=key,
                fingerprint=fingerprint,
                uid=self.env.uid,
            )
        )
        return self.search([("user_id", "=", user.id), ("key", "=", key)], limit=1)

    @api.autovacuum
    def _gc_expired_keys(self):
        self.env.cr.execute(
            SQL(
                """DELETE FROM ov_outlet_api_idempotency
                    WHERE create_date < now() at time zone 'utc' - %s * interval '1 day'""",
                self._retention_days,
            )
        )
