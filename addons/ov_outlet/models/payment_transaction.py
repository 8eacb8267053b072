import logging

from fastapi import status

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL

from ..api_route import ApiError
from .payment_provider import SALES_APP_PROVIDER_CODE

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    # === BUSINESS METHODS: integration API === #

    @api.model
    def _ov_api_sales_app_provider(self, company):
        """:return: the enabled *Sales App* payment provider of `company` (superuser), empty if there is none"""
        return (
            self.env["payment.provider"]
            .sudo()
            .search(
                [("code", "=", SALES_APP_PROVIDER_CODE), ("state", "=", "enabled"), ("company_id", "=", company.id)],
                limit=1,
            )
        )

    @api.model
    def _ov_api_record_sales_app_payment(
        self, order, amount, provider_reference, status_code, currency_code=None, message=None
    ):
        """Record a payment the sales app took for the quotation `order` with its own payment service provider, and
        process it as Odoo processes an online payment.

        A ``done`` payment confirms the order and, when *Sales > Settings > Automatic Invoice* is on, invoices it;
        account_payment books the payment in the provider's journal and reconciles it with that invoice. An
        ``error`` payment leaves the quotation as it is: the sales app posts a new payment to retry.

        The amount must be the order's total: Odoo itself would mark a smaller payment done without confirming the
        order, which the sales app could not tell from a success.

        Called with the API user's environment on an order it can read: checks that it may change it, then works as
        superuser (payments need accounting rights), still as that user, so that the transaction is its own.

        :param order: `sale.order`, readable by the caller
        :param float amount: the amount paid
        :param str provider_reference: the payment's reference at the sales app's payment service provider
        :param str status_code: ``done`` (paid) or ``error`` (failed)
        :param str currency_code: ISO 4217 code; must be the order's when given
        :param str message: the provider's message, kept as the transaction's state message
        :return: the transaction (`payment.transaction`, superuser)
        :raise ApiError: 400 with the field for a wrong currency or amount; 404 when the caller may not change the
                         order; 409 for an order that is not a quotation, a provider reference already recorded, or
                         a company without the Sales App provider
        """
        order.ensure_one()
        # One payment at a time per order: a concurrent one waits here, then fails to serialize and Odoo retries
        # it, which finds the order confirmed (409) instead of paying it twice.
        self.env.cr.execute(SQL("SELECT id FROM sale_order WHERE id = %s FOR NO KEY UPDATE", order.id))
        order.invalidate_recordset(["state"])
        if order.state not in ("draft", "sent"):
            raise ApiError(
                status.HTTP_409_CONFLICT,
                detail=f"Sales order {order.name} is no quotation any more (state {order.state}): it takes no payment.",
            )
        try:
            order.check_access("write")
        except AccessError:
            raise ApiError(status.HTTP_404_NOT_FOUND, detail=f"No sales order {order.id}.") from None
        order = order.sudo()
        currency = order.currency_id
        if currency_code and currency_code.upper() != currency.name:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                detail=[{"field": "currency", "message": f"Sales order {order.name} is in {currency.name}."}],
            )
        if currency.compare_amounts(amount, order.amount_total) != 0:
            total = f"{order.amount_total:.{currency.decimal_places}f} {currency.name}"
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                detail=[
                    {
                        "field": "amount",
                        "message": f"The amount must be the order's total, {total}.",
                    }
                ],
            )
        provider = self._ov_api_sales_app_provider(order.company_id)
        if not provider or not provider.journal_id:
            raise ApiError(
                status.HTTP_409_CONFLICT,
                detail="Payments of the sales app are not set up: the Sales App payment provider needs to be enabled "
                "with a bank journal.",
            )
        known = self.sudo().search(
            [("provider_id", "=", provider.id), ("provider_reference", "=", provider_reference)], limit=1
        )
        if known:
            raise ApiError(
                status.HTTP_409_CONFLICT,
                detail=f"The payment {provider_reference} is already recorded as transaction {known.id}.",
            )
        # sudo() keeps the API user as the environment's user: the transaction is created by (and readable to) it
        transaction = self.sudo().create(
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id
                or self.env.ref("ov_outlet.payment_method_ov_sales_app").id,
                "amount": amount,
                "currency_id": currency.id,
                "partner_id": order.partner_invoice_id.id,
                "operation": "online_direct",
                "provider_reference": provider_reference,
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        if status_code == "done":
            transaction._set_done(state_message=message or None)
        else:
            transaction._set_error(message or _("The payment failed in the sales app."))
        try:
            with self.env.cr.savepoint():
                transaction._post_process()
        except (UserError, ValidationError) as error:
            # The payment stays recorded (done): Odoo's own post-processing cron tries again.
            _logger.warning("Post-processing of payment transaction %s failed: %s", transaction.reference, error)
        return transaction
