"""A chosen "today" for tests of what the services record on the day they run."""

from datetime import date

from django.utils import timezone


def set_today(monkeypatch, day: date) -> None:
    """Make ``timezone.localdate()`` (the services' "today", Asia/Shanghai) return ``day``;
    conversions of a given moment are left alone."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
