"""The end-to-end tests use the shared browser fixtures of tests/browser.py (``browser``,
``page``, ``phone``, ``new_page``), loaded by the root conftest.py."""
