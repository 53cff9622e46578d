"""Authentication backend that applies the login-failure lockout."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Axes refuses ``authenticate()`` calls without a request (it raises). Those come only
    from code with no client at all (management commands, the test client's ``login()``);
    the lockout is kept per username *and address*, and such a call has no address, so
    there is nothing to count it against. Every HTTP login form (ours, the admin's) passes
    the request, and there the check runs as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
