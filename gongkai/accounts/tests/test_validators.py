import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from gongkai.accounts.validators import CharacterClassValidator, character_classes


@pytest.mark.parametrize(
    "password, classes",
    [
        ("abc", {"lower"}),
        ("ABC", {"upper"}),
        ("123", {"digit"}),
        ("-_!", {"symbol"}),
        ("公开 信息", {"symbol"}),  # Chinese characters and spaces are neither letters with case nor digits
        ("Ab1-", {"lower", "upper", "digit", "symbol"}),
    ],
)
def test_character_classes(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize(
    "password", ["Jiangzhou2024", "jiangzhou-2024", "JIANGZHOU-gk", "Lushan-Pubinfo-2025"]
)
def test_three_classes_pass(password):
    CharacterClassValidator().validate(password)


@pytest.mark.parametrize(
    "password", ["jiangzhoupubinfo", "jiangzhou20242024", "JIANGZHOU-PUBINFO", "Jiangzhoupubinfo"]
)
def test_two_classes_fail_with_a_chinese_message(password):
    with pytest.raises(ValidationError) as exc:
        CharacterClassValidator().validate(password)
    assert exc.value.messages == ["密码须至少包含小写字母、大写字母、数字、符号中的3类。"]


def test_the_minimum_is_configurable():
    CharacterClassValidator(min_classes=2).validate("jiangzhou2024")
    with pytest.raises(ValidationError):
        CharacterClassValidator(min_classes=4).validate("Jiangzhou2024")


@pytest.mark.django_db
def test_it_runs_with_the_existing_validators():
    with pytest.raises(ValidationError) as exc:
        validate_password("jiangzhouzhengwu")
    assert any("3类" in m for m in exc.value.messages)
    with pytest.raises(ValidationError):
        validate_password("Ab1-")  # still too short (MinimumLengthValidator)
    validate_password("Lushan-Pubinfo-2025")
