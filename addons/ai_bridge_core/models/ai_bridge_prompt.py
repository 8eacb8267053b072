from odoo import api, fields, models

VERSIONED_FIELDS = ("system_text", "user_template", "tool_schema")


class AiBridgePrompt(models.Model):
    """A prompt template. Editing its text or schema makes a new version; decisions keep the version they used."""

    _name = "ai.bridge.prompt"
    _description = "AI Prompt Template"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    system_text = fields.Text(
        string="Instructions",
        required=True,
        help="Stable instructions sent as the system prompt and cached by the API between calls.",
    )
    user_template = fields.Text(
        string="Record Template",
        help="Describes the record to the model; {{ object.field }} placeholders are filled from the record.",
    )
    tool_schema = fields.Json(
        string="Output Schema",
        help="JSON schema of the structured answer. 'confidence' and 'reasoning' are always added.",
    )
    version_ids = fields.One2many("ai.bridge.prompt.version", "prompt_id", string="Versions")
    current_version_id = fields.Many2one("ai.bridge.prompt.version", compute="_compute_current_version_id", store=True)
    version = fields.Integer(related="current_version_id.version", string="Version")

    @api.depends("version_ids.version")
    def _compute_current_version_id(self):
        for prompt in self:
            prompt.current_version_id = prompt.version_ids.sorted("version")[-1:] if prompt.version_ids else False

    @api.model_create_multi
    def create(self, vals_list):
        prompts = super().create(vals_list)
        prompts._snapshot_version()
        return prompts

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in VERSIONED_FIELDS):
            self._snapshot_version()
        return result

    def _snapshot_version(self):
        Version = self.env["ai.bridge.prompt.version"].sudo()
        for prompt in self:
            current = prompt.current_version_id
            content = {name: prompt[name] for name in VERSIONED_FIELDS}
            if current and all(current[name] == content[name] for name in VERSIONED_FIELDS):
                continue
            Version.create({"prompt_id": prompt.id, "version": (current.version or 0) + 1, **content})
        self.invalidate_recordset(["version_ids", "current_version_id"])


class AiBridgePromptVersion(models.Model):
    _name = "ai.bridge.prompt.version"
    _description = "AI Prompt Version"
    _order = "prompt_id, version desc"
    _rec_names_search = ["prompt_id"]

    prompt_id = fields.Many2one("ai.bridge.prompt", required=True, ondelete="cascade", index=True)
    version = fields.Integer(required=True, readonly=True)
    system_text = fields.Text(readonly=True)
    user_template = fields.Text(readonly=True)
    tool_schema = fields.Json(readonly=True)

    _sql_constraints = [("prompt_version_uniq", "unique(prompt_id, version)", "Prompt versions are unique.")]

    @api.depends("prompt_id.name", "version")
    def _compute_display_name(self):
        for version in self:
            version.display_name = f"{version.prompt_id.name} v{version.version}"
