"""Relay: outbox, worker, message formats, destinations, acknowledgements."""
