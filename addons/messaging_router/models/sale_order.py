from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

APPROVAL_STATES = [("awaiting", "Awaiting Approval"), ("approved", "Approved"), ("rejected", "Rejected")]
SALE_MANAGER_GROUP = "sales_team.group_sale_manager"


class SaleOrder(models.Model):
    """Large orders confirmed by a salesperson wait for a sales manager, like purchase's double validation.

    The quotation keeps its state (draft or sent) while it waits: sale's own flows never meet a new order state.
    Who answered, and how, is an audit trail (`ai.bridge.audit.mixin`): only `_messaging_approve` /
    `_messaging_reject` write it, from the form's buttons or from Slack's.
    """

    _name = "sale.order"
    _inherit = ["sale.order", "ai.bridge.audit.mixin", "messaging.delivery.mixin"]
    _audit_whole_record = False  # only the approval fields below are an audit trail

    # === FIELDS === #

    messaging_approval_state = fields.Selection(
        APPROVAL_STATES, string="Approval", readonly=True, copy=False, index="btree_not_null"
    )
    messaging_approval_user_id = fields.Many2one("res.users", string="Answered By", readonly=True, copy=False)
    messaging_approval_date = fields.Datetime(string="Answered On", readonly=True, copy=False)

    # === ACTIONS === #

    def action_confirm(self):
        # EXTENDS sale: a salesperson's large orders are held for a sales manager instead of being confirmed
        awaiting = self.filtered(lambda order: order.messaging_approval_state == "awaiting")
        if awaiting:
            raise UserError(
                _(
                    "%s awaits a sales manager's approval: a sales manager approves or rejects it.",
                    ", ".join(awaiting.mapped("name")),
                )
            )
        held = self.filtered(lambda order: order._messaging_needs_approval())
        if held:
            held._messaging_request_approval()
        to_confirm = self - held
        return super(SaleOrder, to_confirm).action_confirm() if to_confirm else True

    def write(self, vals):
        # EXTENDS sale: `state` is readonly in the form only; confirming by writing it would skip the approval
        if vals.get("state") == "sale":
            skipping = self.filtered(
                lambda order: order.messaging_approval_state == "awaiting" or order._messaging_needs_approval()
            )
            if skipping:
                raise UserError(
                    _(
                        "%s needs a sales manager's approval: confirm it with its Confirm button.",
                        ", ".join(skipping.mapped("name")),
                    )
                )
        return super().write(vals)

    def action_messaging_approve(self):
        for order in self:
            order._messaging_approve(_("in Odoo"))
        return True

    def action_messaging_reject(self):
        for order in self:
            order._messaging_reject(_("in Odoo"))
        return True

    # === APPROVALS (the interface messaging_router's Slack buttons call) === #

    def _audited_fields(self):
        # EXTENDS ai_bridge_core
        return super()._audited_fields() | {
            "messaging_approval_state",
            "messaging_approval_user_id",
            "messaging_approval_date",
        }

    def _messaging_needs_approval(self):
        """Whether the current user's confirmation of this quotation must wait for a sales manager: an internal
        user who is not one confirms an amount at or above the company's approval amount (company currency, as
        purchase compares). Confirmations as superuser (a customer signing or paying online) are never held."""
        self.ensure_one()
        company = self.company_id
        threshold = company.messaging_sale_approval_amount
        user = self.env.user
        if not threshold or self.env.su or user.share or self.state not in ("draft", "sent"):
            return False
        if user.has_group(SALE_MANAGER_GROUP):
            return False
        amount = self.currency_id._convert(
            self.amount_total, company.currency_id, company, self.date_order or fields.Date.today()
        )
        return company.currency_id.compare_amounts(amount, threshold) >= 0

    def _messaging_request_approval(self):
        """Hold these quotations and send their company's sales managers an approval request (Slack buttons)."""
        self.check_access("write")  # what sale's write would have checked, before the audited write below
        for order in self:
            approvers = order._messaging_approvers()
            if not approvers:
                raise UserError(_("%s needs a sales manager's approval, and its company has none.", order.name))
            order._write_audited(
                {
                    "messaging_approval_state": "awaiting",
                    "messaging_approval_user_id": False,
                    "messaging_approval_date": False,
                }
            )
            amount = order.currency_id.format(order.amount_total)
            order.message_post(
                body=Markup("<p>%s</p>")
                % _(
                    "Waiting for a sales manager's approval: %(amount)s is at or above the approval amount of "
                    "%(threshold)s.",
                    amount=amount,
                    threshold=order.company_id.currency_id.format(order.company_id.messaging_sale_approval_amount),
                ),
                subtype_xmlid="mail.mt_note",
            )
            self.env["messaging.delivery"]._send(
                "approval.request",
                order,
                approvers,
                {
                    "subject": _("Approve or reject: %s", order.name),
                    "body": _(
                        "%(order)s for %(customer)s: %(amount)s. Salesperson: %(salesperson)s.",
                        order=order.name,
                        customer=order.partner_id.display_name,
                        amount=amount,
                        salesperson=order.user_id.name or self.env.user.name,
                    ),
                    "approval": True,
                },
            )

    def _messaging_approvers(self):
        # sudo: who may approve is not limited to the users the salesperson may read
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(SALE_MANAGER_GROUP).id),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.id),
                ]
            )
        )

    def _messaging_approve(self, reason):
        """Approve and confirm as the current user, once: the form's button and Slack's meet here.

        :param str reason: where the answer came from, for the chatter ("in Odoo", "From Slack, by ...")
        :raise AccessError: unless the current user is a sales manager who may write the order
        :raise UserError: when the order does not wait for approval (answered already: says by whom)
        """
        self._messaging_check_answerable()
        self._messaging_write_answer("approved")
        self.action_confirm()
        self._messaging_log(_("Approved by %(user)s (%(reason)s).", user=self.env.user.name, reason=reason))

    def _messaging_reject(self, reason):
        """Reject as the current user, once; the quotation stays a quotation, marked rejected. Confirming it again
        asks for a new approval."""
        self._messaging_check_answerable()
        self._messaging_write_answer("rejected")
        self._messaging_log(_("Rejected by %(user)s (%(reason)s).", user=self.env.user.name, reason=reason))

    def _messaging_check_answerable(self):
        self.ensure_one()
        if not self.env.user.has_group(SALE_MANAGER_GROUP):
            raise AccessError(_("Only sales managers can approve or reject sales orders."))
        self.check_access("write")
        # The row lock makes two answers racing (a click in Slack and one in Odoo) apply once: the second waits
        # here until the first commits, then fails to serialize and is retried, and sees the answer.
        self.flush_recordset(["messaging_approval_state"])
        self.env.cr.execute(SQL("SELECT id FROM sale_order WHERE id = %s FOR NO KEY UPDATE", self.id))
        self.invalidate_recordset(["messaging_approval_state", "messaging_approval_user_id"])
        if self.messaging_approval_state == "awaiting":
            return
        if self.messaging_approval_user_id:
            state = dict(self._fields["messaging_approval_state"]._description_selection(self.env))
            raise UserError(
                _(
                    "%(order)s was already answered: %(answer)s by %(user)s.",
                    order=self.name,
                    answer=state[self.messaging_approval_state].lower(),
                    user=self.messaging_approval_user_id.name,
                )
            )
        raise UserError(_("%s does not await approval.", self.name))

    def _messaging_write_answer(self, state):
        self._write_audited(
            {
                "messaging_approval_state": state,
                "messaging_approval_user_id": self.env.uid,
                "messaging_approval_date": fields.Datetime.now(),
            }
        )

    def _messaging_log(self, text):
        self.message_post(body=Markup("<p>%s</p>") % text, subtype_xmlid="mail.mt_note")
