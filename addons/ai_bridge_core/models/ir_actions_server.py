from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.fuzzy_choice import best_choice

OUTPUT_MODES = [("fields", "Fill fields"), ("note", "Post a note"), ("activity", "Schedule an activity")]
SCALAR_TYPES = {
    "char": "string",
    "text": "string",
    "html": "string",
    "integer": "integer",
    "float": "number",
    "monetary": "number",
    "boolean": "boolean",
    "date": "string",
}
OUTPUT_FIELD_TYPES = [*SCALAR_TYPES, "selection", "many2one"]
MAX_ENUM_CHOICES = 200  # above this, a many2one answer is matched by name instead of chosen from a list


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    state = fields.Selection(selection_add=[("ai_claude", "AI (Claude)")], ondelete={"ai_claude": "cascade"})
    ai_task_id = fields.Many2one(
        "ai.bridge.task",
        string="AI Task",
        ondelete="restrict",
        help="The prompt and the gating thresholds: what to ask and when to act without a human.",
    )
    ai_output_mode = fields.Selection(OUTPUT_MODES, string="AI Output", default="fields")
    ai_output_field_ids = fields.Many2many(
        "ir.model.fields",
        "ir_act_server_ai_output_field_rel",
        "action_id",
        "field_id",
        string="Fields to Fill",
        domain=f"[('model_id', '=', model_id), ('ttype', 'in', {OUTPUT_FIELD_TYPES}), ('readonly', '=', False), "
        "('store', '=', True)]",
    )

    @api.constrains("state", "ai_task_id", "ai_output_mode", "ai_output_field_ids", "model_id")
    def _check_ai_claude(self):
        for action in self.filtered(lambda action: action.state == "ai_claude"):
            if not action.ai_task_id:
                raise ValidationError(_("An AI (Claude) action needs an AI task."))
            if action.ai_output_mode == "fields" and not action.ai_output_field_ids:
                raise ValidationError(_("Choose the fields the answer may fill."))
            if action.ai_output_field_ids.filtered(lambda field, action=action: field.model_id != action.model_id):
                raise ValidationError(_("The fields to fill must belong to the action's model."))
            if action.ai_output_mode in ("note", "activity") and not action.model_id.is_mail_thread:
                raise ValidationError(_("Notes and activities need a model with a chatter."))

    def _run_action_ai_claude_multi(self, eval_context=None):
        """Queue one AI decision per record; the answer is applied later through the task's gating.

        Odoo runs server actions from `sudo()`; the prompt is rendered and the many2one choices are read in the
        environment of the user running the action (the cron's user for scheduled actions), never as superuser.
        """
        records = eval_context.get("records") or eval_context.get("record")
        user_env = eval_context["env"]
        tool_schema = self._ai_tool_schema(user_env)  # the same for every record, and it reads the choices
        for record in records or []:
            user_env["ai.bridge.decision"]._request(
                self.ai_task_id.code,
                record.with_env(user_env),
                callback_model="ir.actions.server",
                apply_method="_ai_apply_server_action",
                fallback_method="_ai_fallback_server_action",
                tool_schema=tool_schema,
                context_data={"action_id": self.id},
            )
        return False

    # === ANSWER SHAPE ===#
    def _ai_tool_schema(self, user_env):
        """:param user_env: the environment whose rights decide which many2one choices are offered"""
        self.ensure_one()
        if self.ai_output_mode == "note":
            properties = {"note": {"type": "string", "description": "The text to post, ready to read."}}
        elif self.ai_output_mode == "activity":
            properties = {
                "summary": {"type": "string", "description": "A short title for the activity."},
                "note": {"type": "string", "description": "What to do, and why."},
                "days": {"type": "integer", "minimum": 0, "description": "Due in this many days."},
            }
        else:
            properties = {field.name: self._ai_field_schema(field, user_env) for field in self.ai_output_field_ids}
        return {"type": "object", "properties": properties, "required": sorted(properties)}

    def _ai_field_schema(self, field, user_env):
        spec = {"description": field.field_description}
        if field.ttype == "selection":
            return {**spec, "type": "string", "enum": [key for key, _label in self._ai_selection(field)]}
        if field.ttype == "many2one":
            names = self._ai_many2one_names(field, user_env)
            return {**spec, "type": "string", **({"enum": names} if names else {})}
        return {**spec, "type": SCALAR_TYPES[field.ttype]}

    def _ai_selection(self, field):
        model_field = self.env[field.model]._fields[field.name]
        return model_field._description_selection(self.env)

    def _ai_many2one_names(self, field, user_env):
        comodel = user_env[field.relation]
        if comodel.search_count([]) > MAX_ENUM_CHOICES:
            return []
        return comodel.search([]).mapped("display_name")

    # === CALLBACKS ===#
    @api.model
    def _ai_apply_server_action(self, decision):
        action = self.browse(decision.context_data["action_id"]).exists()
        record = decision._get_record()
        if not action or not record:
            raise UserError(_("The action or its record no longer exists."))
        output = decision.output
        if action.ai_output_mode == "note":
            record.message_post(body=output["note"], message_type="comment", subtype_xmlid="mail.mt_note")
        elif action.ai_output_mode == "activity":
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.add(fields.Date.context_today(record), days=int(output.get("days") or 0)),
                summary=output["summary"],
                note=output.get("note") or "",
                user_id=decision.task_id.approver_id.id or self.env.user.id,
            )
        else:
            record.write(action._ai_values_from_output(output, decision._requester_env()))

    def _ai_values_from_output(self, output, user_env):
        """:param user_env: the environment whose rights decide which records a many2one answer may name"""
        values = {}
        for field in self.ai_output_field_ids:
            if field.name not in output:
                continue
            value = output[field.name]
            if field.ttype == "many2one":
                comodel = user_env[field.relation]
                match = comodel.name_search(value, operator="=", limit=1) or comodel.name_search(value, limit=2)
                if len(match) != 1:
                    raise UserError(
                        _("%(value)s does not name exactly one %(field)s.", value=value, field=field.field_description)
                    )
                value = match[0][0]
            values[field.name] = value
        return values

    @api.model
    def _ai_fallback_server_action(self, decision):
        """Without Claude: match a many2one answer by name in the prompt text; free text cannot be guessed."""
        action = self.browse(decision.context_data["action_id"]).exists()
        fields_m2o = action.ai_output_field_ids.filtered(lambda field: field.ttype == "many2one")
        if action.ai_output_mode != "fields" or not fields_m2o:
            return {"output": {}, "confidence": 0.0, "reasoning": _("No deterministic fallback for free text.")}
        output, scores, reasons = {}, [], []
        user_env = decision._requester_env()
        for field in fields_m2o:
            names = user_env[field.relation].search([], limit=MAX_ENUM_CHOICES).mapped("display_name")
            choice, confidence = best_choice(decision.user_content or decision.res_name, names)
            if choice:
                output[field.name] = choice
                reasons.append(_("%(field)s: %(choice)s matched by name", field=field.field_description, choice=choice))
            scores.append(confidence)
        return {"output": output, "confidence": min(scores) if scores else 0.0, "reasoning": "; ".join(reasons)}
