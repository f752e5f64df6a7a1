"""Argon2id with parameters above OWASP's minimum (m=19 MiB, t=2, p=1).

We use m=64 MiB, t=3, p=1 (RFC 9106's second recommended option scaled to a login budget);
the measured cost of one verification is in the README. Older hashes are upgraded at login
by Django because this hasher is first in PASSWORD_HASHERS.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class RelaisArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 3
    memory_cost = 65536
    parallelism = 1
