"""A pharmacy's API keys: the credentials its software presents to the API.

- ``tokens``: the key format, how a key is stored (a digest) and checked.
- ``authentication``: a presented key → who is calling (an ``Actor`` of one pharmacy).
- ``services``: an owner creates, lists and revokes the pharmacy's keys (audited).
"""
