import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# The suite shares two cores between two xdist workers and a browser: a per-example deadline
# measures the machine's load, not the code, so it is off; examples stay bounded per test.
hypothesis_settings.register_profile(
    "suite", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.load_profile("suite")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_ANCHOR_PATH = tmp_path / "audit" / "anchors.jsonl"


@pytest.fixture(autouse=True)
def _prepared_queries_checked(settings):
    """Each prepared query (makerspace.core.prepared) is also built and compiled with the call's own
    values, and the two compared: the whole suite checks that each depends on its arguments alone."""
    settings.PREPARED_QUERIES_CHECK = True


@pytest.fixture
def compiles(monkeypatch):
    """The model of each SELECT Django's compiler builds (INSERTs and UPDATEs have their own
    compilers): what makerspace.core.prepared compiles once should not appear twice."""
    from django.db.models.sql.compiler import SQLCompiler

    counted = []
    compile_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        counted.append(self.query.model)
        return compile_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return counted


@pytest.fixture
def world(db):
    from makerspace.core.tests.factories import World

    return World()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users are made by the dozen; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _login_protections_off_unless_proved(request, settings):
    """Login throttling (django-axes) and compulsory two-factor login are ON in every deployed
    configuration. Ordinary tests log users in with `client.login` / `force_login`, which neither
    passes a request to axes nor verifies a TOTP device, so both are switched off here. Tests
    marked `enforce_security` keep the production settings and prove the protections
    (makerspace/security/tests/); `makerspace.core.tests.factories.login_verified` logs in a
    reviewing role with a verified device when a test wants the real path."""
    if request.node.get_closest_marker("enforce_security") is None:
        settings.AXES_ENABLED = False
        settings.OTP_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
