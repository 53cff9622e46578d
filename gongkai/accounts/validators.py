"""Password complexity for staff accounts (security.md, "Identity and access")."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> set[str]:
    """The classes present in ``password``: lower, upper, digit, symbol. A symbol is any
    character that is neither a cased letter nor a digit (punctuation, spaces, Chinese
    characters)."""
    found = set()
    for ch in password:
        if ch.islower():
            found.add("lower")
        elif ch.isupper():
            found.add("upper")
        elif ch.isdigit():
            found.add("digit")
        else:
            found.add("symbol")
    return found


class CharacterClassValidator:
    """At least ``min_classes`` of the four classes: lower-case letters, upper-case letters,
    digits, symbols (the usual MLPS 2.0 complexity rule)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                _("密码须至少包含小写字母、大写字母、数字、符号中的%(min)d类。"),
                code="password_too_simple",
                params={"min": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _("密码须至少包含小写字母、大写字母、数字、符号中的%(min)d类。") % {"min": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message: Django's own catalogue leaves this
    message (a plural form) untranslated in zh-hans, so staff saw it in English."""

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短：至少需要%(min_length)d个字符。"),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}
