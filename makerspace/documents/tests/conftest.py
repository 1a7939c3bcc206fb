import pytest


@pytest.fixture
def submitted(world):
    """A submitted application (version 1) of the world's applicant."""
    return world.submitted()
