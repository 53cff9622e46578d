import pytest
from django.contrib.auth import get_user_model

from gongkai.agencies.models import Role, StaffRole
from gongkai.catalogue.tests.factories import make_agency

# Passes every validator, the character-class one included.
PASSWORD = "Jiangzhou-2024-Gk"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    def make(username: str = "clerk1", *, role: str | None = Role.CLERK, superuser: bool = False):
        User = get_user_model()
        if superuser:
            return User.objects.create_superuser(username=username, password=PASSWORD)
        user = User.objects.create_user(username=username, password=PASSWORD)
        if role:
            StaffRole.objects.create(user=user, agency=make_agency(), role=role)
        return user

    return make


@pytest.fixture
def staff(make_user):
    return make_user("clerk1")


@pytest.fixture
def enrolled(staff):
    """clerk1 with a confirmed TOTP device (made as the enrolment page would, then confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=staff, name="TOTP", confirmed=True)
    return staff


@pytest.fixture
def no_throttle(settings):
    """django-otp makes each retry after a wrong code wait 1, 2, 4 … seconds; tests that send
    several codes in a row switch the wait off (one test keeps it)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
