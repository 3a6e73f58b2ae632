"""Password hashing: Argon2id with OWASP's minimum parameters.

OWASP's Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1. Django's own
``Argon2PasswordHasher`` already uses Argon2id (argon2-cffi); its defaults (m = 100 MiB,
p = 8) cost several times more CPU and memory per login, which the exam-day start burst
(20 logins/s on a few cores) cannot afford. The algorithm name stays ``argon2``, so hashes
made with other parameters still verify and ``must_update`` re-hashes them with these at the
next login, exactly as PBKDF2 hashes are upgraded (``PASSWORD_HASHERS`` in settings/base.py).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB = 19 MiB
    parallelism = 1
