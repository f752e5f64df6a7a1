"""Services of the relay: recording outcomes (the worker, as SYSTEM), replay, status reads."""
