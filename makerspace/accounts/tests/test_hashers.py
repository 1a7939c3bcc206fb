import importlib

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password

from makerspace.accounts.hashers import Argon2idPasswordHasher
from makerspace.accounts.models import User

DEPLOYED = importlib.import_module("config.settings").PASSWORD_HASHERS


def test_the_deployed_hash_is_argon2id_and_memory_hard():
    assert DEPLOYED[0] == "makerspace.accounts.hashers.Argon2idPasswordHasher"
    encoded = Argon2idPasswordHasher().encode("一个足够长的口令-2026", Argon2idPasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")
    assert "m=19456,t=2,p=1" in encoded


@pytest.mark.django_db
def test_an_older_pbkdf2_hash_still_signs_in_and_is_rewritten_as_argon2id(settings):
    settings.PASSWORD_HASHERS = DEPLOYED
    user = User.objects.create(
        username="old_hash",
        password=make_password("一个足够长的口令-2026", hasher="pbkdf2_sha256"),
    )
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    assert user.check_password("一个足够长的口令-2026")

    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert "m=19456,t=2,p=1" in user.password
    assert not user.check_password("另一个口令-2026-错误")
