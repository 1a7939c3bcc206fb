import pytest


@pytest.fixture
def applicant_client(client, world):
    """A browser logged in as the world's applicant."""
    client.force_login(world.applicant)
    return client
