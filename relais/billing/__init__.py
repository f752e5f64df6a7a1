"""Billing: usage per transmission, contracts, monthly statements, credit notes, reconciliation.

The billable unit is one transmission settled by the platform (acknowledged, by default only
the first version of a screening). It is billed in the Europe/Paris calendar month of its
acknowledgement, not of the screening: a screening recorded on 31 January at 23:59 and
acknowledged on 1 February at 00:01 is billed in February. The ledger (`UsageRecord`) holds
one row per settled transmission — a replayed message is the same transmission, so it can
never be billed twice. No personal data ever reaches this app: counts, amounts and ids only.
"""
