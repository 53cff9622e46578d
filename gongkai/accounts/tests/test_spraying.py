"""Password spraying (issue 10, section 7): failures from one address are also counted across
accounts, so trying a password on every account from one address is stopped."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from .conftest import PASSWORD
from .test_lockout import ATTACKER, ELSEWHERE, attempt

pytestmark = pytest.mark.django_db

ACCOUNTS = ["clerk1", "clerk2", "clerk3", "clerk4", "clerk5"]


@pytest.fixture
def five(make_user):
    return [make_user(name) for name in ACCOUNTS]


def spray(client, rounds=4, ip=ATTACKER):
    """``rounds`` wrong passwords on each account, one account after another: never the
    per-account limit (5) on any of them."""
    return [
        attempt(client, name, f"Guess-{n}-2024", ip).status_code for n in range(rounds) for name in ACCOUNTS
    ]


def test_twenty_failures_over_five_accounts_from_one_address_are_blocked(client, five, settings):
    codes = spray(client)
    assert len(codes) == 20
    limit = settings.GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT
    assert codes[: limit - 1] == [200] * (limit - 1)
    assert set(codes[limit:]) == {429}  # every try after the address limit is refused
    # the right password of an account never tried is refused from that address as well
    fresh = attempt(client, "clerk5", PASSWORD)
    assert fresh.status_code == 429 and "登录失败次数过多" in fresh.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_accounts_still_sign_in_from_elsewhere(client, five):
    spray(client)
    assert attempt(client, "clerk3", PASSWORD, ip=ELSEWHERE).status_code == 302


def test_a_few_typing_errors_in_one_office_lock_no_one(client, five):
    # an office behind one address: each person mistypes once or twice, then signs in
    for name in ACCOUNTS[:4]:
        attempt(client, name, "typo-once")
        attempt(client, name, "typo-twice")
    for name in ACCOUNTS:
        assert attempt(client, name, PASSWORD).status_code == 302
        client.logout()


def test_the_address_limit_is_a_setting_and_can_be_off(client, five, settings):
    settings.GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT = 0
    assert set(spray(client)) == {200}


def test_password_rules_speak_chinese():
    """Django leaves its length message untranslated in zh-hans; staff saw it in English."""
    with translation.override("zh-hans"):
        for password in ["abc", "1234567890123", "clerk1clerk1"]:
            with pytest.raises(ValidationError) as caught:
                validate_password(password)
            for message in caught.value.messages:
                assert not any("a" <= ch.lower() <= "z" for ch in message), message
        with pytest.raises(ValidationError) as short:
            validate_password("Ab1-x")
        assert short.value.messages == ["密码太短：至少需要10个字符。"]
