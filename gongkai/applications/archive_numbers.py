"""The 档号 pattern of an agency's filing rule, checked without the services: the admin's form
uses it, and the admin must not load the services (they load the letters' PDF library, which
the worker's memory baseline must not carry)."""

import string

from django.utils.translation import gettext as _

FILING_FIELDS = ("code", "region", "year", "retention", "seq")


def archive_pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot number cases (an unknown field, no {year} or {seq}), or None."""
    try:
        fields = [name for _t, name, _s, _c in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        return _("档号规则格式有误：花括号不成对。")
    unknown = sorted(set(fields) - set(FILING_FIELDS))
    if unknown:
        return _("档号规则含有未知字段：%(f)s。") % {"f": "、".join(unknown)}
    if "year" not in fields or "seq" not in fields:
        return _("档号规则须含年度 {year} 和件号 {seq} 或 {seq:N}。")
    return None
