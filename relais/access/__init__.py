"""The one place that decides what an actor may see or do. Deny by default.

- ``roles``: pharmacy roles and platform roles.
- ``policy``: the permission table (action → roles) and the decisions ``can``/``require``.
- ``actors``: who is acting (a staff user, an API key, the system).
- ``routes``: every URL name → what it requires; a route missing from it is refused.
"""
