from odoo import _
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.auth_signup.controllers.main import AuthSignupHome

from ..models.res_users import SIGNUP_COMPANY_NAME_KEY

SIGNUP_COMPANY_FIELD = "company_name"  # input of the sign-up form (views/auth_signup_templates.xml)
SIGNUP_COMPANY_MAX_LENGTH = 128  # characters


class AuthSignupHomeCompany(AuthSignupHome):
    """Free sign-up (`auth_signup.invitation_scope` = b2c) for B2B customers: the form asks the company name, and
    the new user becomes the customer administrator of a new customer company (`res.users._signup_create_user`).
    Invited sign-ups (with a token) are left as stock has them."""

    # EXTENDS auth_signup
    def get_auth_signup_qcontext(self):
        """Keep the company name typed, so that the form shows it again after an error."""
        qcontext = super().get_auth_signup_qcontext()
        if SIGNUP_COMPANY_FIELD in request.params:
            qcontext[SIGNUP_COMPANY_FIELD] = request.params[SIGNUP_COMPANY_FIELD]
        return qcontext

    # EXTENDS auth_signup
    def _prepare_signup_values(self, qcontext):
        """Require the company name of an uninvited sign-up; a UserError shows the form again with the reason."""
        values = super()._prepare_signup_values(qcontext)
        if not qcontext.get("token"):
            company_name = (qcontext.get(SIGNUP_COMPANY_FIELD) or "").strip()
            if not company_name:
                raise UserError(_("Please enter the name of your company."))
            if len(company_name) > SIGNUP_COMPANY_MAX_LENGTH:
                raise UserError(
                    _("The company name is too long (%(max)s characters at most).", max=SIGNUP_COMPANY_MAX_LENGTH)
                )
            login = email_normalize(values.get("login") or "")
            if login and request.env["res.partner"].sudo().search_count([("email_normalized", "=", login)], limit=1):
                # a customer's contact already: joining means an invitation from its company (or us), since the
                # address opens what that company shares with its contacts (billing entities)
                raise UserError(
                    _(
                        "This e-mail address is already known to us. Ask your company's portal administrator to "
                        "invite you, or contact us."
                    )
                )
            values[SIGNUP_COMPANY_NAME_KEY] = company_name
        return values
