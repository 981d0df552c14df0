"""The workspace's password hasher: Argon2id with the OWASP minimum parameters.

Django's own :class:`~django.contrib.auth.hashers.Argon2PasswordHasher` uses ``memory_cost``
102 400 KiB (100 MiB), ``time_cost`` 2, ``parallelism`` 8: about 0.3 s of CPU and 100 MB of memory per
login, which made 200 reporters logging in at once take 40 s of CPU on a 2-core county server
(docs/web.md 负载测试). :class:`Argon2idHasher` keeps Argon2id (issue 10 item 7) with the first of
the parameter sets the OWASP Password Storage Cheat Sheet lists as equivalent minimums —
m = 19 MiB (19 456 KiB), t = 2, p = 1 — the same ``argon2`` algorithm name, so every existing hash
still verifies; Django re-hashes a password with the new parameters at its next successful login
(``must_update`` compares the parameters).
"""
from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

#: OWASP Password Storage Cheat Sheet, "Argon2id": m=19456 (19 MiB), t=2, p=1.
MEMORY_KIB, TIME_COST, PARALLELISM = 19_456, 2, 1


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, m = 19 MiB, t = 2, p = 1 (algorithm name ``argon2`` as Django's, for upgrades)."""

    memory_cost = MEMORY_KIB
    time_cost = TIME_COST
    parallelism = PARALLELISM
