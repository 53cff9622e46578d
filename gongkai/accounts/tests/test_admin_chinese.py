"""The Django admin in the staff's language (issue 15 §4): every app and model it lists is
named in Chinese, the third-party ones (login protection, two-factor devices) included."""

import re

from django.contrib import admin
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_admin_app_and_model_name_is_chinese():
    with translation.override("zh-hans"):
        english = [
            f"{model._meta.app_config.verbose_name} / {model._meta.verbose_name_plural}"
            for model in admin.site._registry
            if not CJK.search(str(model._meta.app_config.verbose_name))
            or not CJK.search(str(model._meta.verbose_name_plural))
        ]
    assert english == []


def test_the_admin_index_shows_them(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "登录保护" in html and "两步验证" in html
    assert "Access attempts" not in html and "TOTP devices" not in html
