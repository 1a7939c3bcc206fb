import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    from makerspace.core.tests.factories import World

    return World()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users are made by the dozen; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
