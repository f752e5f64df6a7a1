"""Privacy services: purge batches, warnings, retention contracts, data-subject requests.

Each takes the acting ``Actor`` first, checks it, runs in one transaction (``@service``)
and writes its audit event there: ids and counts, never the data.
"""
