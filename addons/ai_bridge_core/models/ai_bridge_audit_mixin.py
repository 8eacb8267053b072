from odoo import api, models
from odoo.exceptions import AccessError

# Only code that holds this object can write audited fields. RPC contexts are JSON, so no request can carry it, and
# `readonly` on a field is only a hint to the web client (the same guard as queue_job's EDIT_SENTINEL).
_AUDITED_WRITE = object()
_AUDITED_WRITE_KEY = "ai_bridge_audited_write"


def with_audited_writes(records):
    """`records` as superuser, allowed to set audited fields in what they create and write, whatever the model: for
    the suite's code that sets them through another model's method (a chatter message posted with its audited
    link to Slack). Callers have checked the user's right to do so."""
    return records.sudo().with_context(**{_AUDITED_WRITE_KEY: _AUDITED_WRITE})


class AiBridgeAuditMixin(models.AbstractModel):
    """Fields that are an audit trail change only through the suite's own code, never over RPC.

    By default every stored field of the model but its chatter, followers and activities (AI decisions, jobs).
    A business model that records a few facts among ordinary fields sets `_audit_whole_record = False`, and each
    module adds its own fields by extending `_audited_fields()` with ``super()``, so that several modules can audit
    fields of one model (who acknowledged a purchase order and when; who approved a sales order). The suite writes
    them with `_create_audited` / `_write_audited`, after its own checks (approve, reject, retry, cancel, a
    vendor's acknowledgement...).
    """

    _name = "ai.bridge.audit.mixin"
    _description = "Write-protected Audit Record"

    _audit_whole_record = True  # False: only the fields that modules add in `_audited_fields()`

    def _audited_fields(self):
        """The field names that change only through `_create_audited` / `_write_audited`.

        :return: set of field names; extend it with ``super()._audited_fields() | {...}``
        """
        if not self._audit_whole_record:
            return set()
        mail_fields = self.env["mail.thread"]._fields.keys() | self.env["mail.activity.mixin"]._fields.keys()
        return {
            name
            for name, field in self._fields.items()
            if field.store and not field.automatic and name not in mail_fields
        }

    def _check_audited_fields_untouched(self, field_names):
        if self.env.context.get(_AUDITED_WRITE_KEY) is _AUDITED_WRITE:
            return
        protected = sorted(self._audited_fields().intersection(field_names))
        if protected:
            raise AccessError(
                self.env._(
                    "%(model)s: %(fields)s are part of an audit trail and change only through their own actions.",
                    model=self._description,
                    fields=", ".join(protected),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_audited_fields_untouched({name for vals in vals_list for name in vals})
        return super().create(vals_list)

    def write(self, vals):
        self._check_audited_fields_untouched(vals)
        return super().write(vals)

    @api.model
    def _create_audited(self, vals_list):
        """Create records with audited values, as superuser: callers have checked the user's right to do so.

        :return: the new records, as superuser (without the permission to write audited fields)
        """
        records = with_audited_writes(self).create(vals_list)
        return records.with_env(self.sudo().env)

    def _write_audited(self, vals):
        """Write audited fields, as superuser: callers have checked the user's right to the transition."""
        return with_audited_writes(self).write(vals)
