from odoo import fields, models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    # === FIELDS === #

    pce_triage_keywords = fields.Text(
        string="Triage Keywords",
        groups="base.group_user",
        help="Words and phrases that put a new ticket in this category, separated by commas or new lines, in every "
        "language customers write in (e.g. late delivery, tracking, livraison, Lieferung). Case and accents do not "
        "matter, and a word of five letters or more also matches with a short ending (invoice: invoices). A ticket "
        "matching the keywords of this category only is categorised without a human; typos and competing "
        "categories wait for approval. Categories without keywords are left to Claude and to people.",
    )
