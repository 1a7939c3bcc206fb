"""The password hash: Argon2id, memory-hard, at the parameters OWASP's Password Storage Cheat Sheet
gives as its first choice (19 MiB, two passes, one lane).

Django's own Argon2 hasher asks for 100 MiB and eight lanes, about 0.3 s of CPU per sign-in on a
two-core server; PBKDF2 at Django's 1,000,000 iterations about 0.6 s. On the deadline day a wave
of sign-ins would then take the cores from the applicants saving their forms. These parameters
cost about 30 ms and stay memory-hard. A hash made with other parameters (or by PBKDF2) is still
verified and is rewritten with these at the user's next sign-in (Django's `must_update`)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
