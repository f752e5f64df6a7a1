"""Billing refusals a person can act on (shown as a message, never a traceback)."""


class BillingError(ValueError):
    """A billing request that cannot be honoured as asked."""


class StatementNotFoundError(LookupError):
    """No such statement visible to this actor (another pharmacy's looks the same: 404)."""


class MonthNotOverError(BillingError):
    """A month is billed once it is over in Paris: late acknowledgements would be missed."""


class AlreadyIssuedError(BillingError):
    """The statement is issued: correct it with a credit note."""


class CreditTooLargeError(BillingError):
    """A credit note may not credit more units than the statement billed that day."""
