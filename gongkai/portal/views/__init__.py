"""Public portal views: thin, read-only, cacheable (security.md, "Reliability")."""

from .agencies import agency, agency_directory, guide
from .documents import attachment, document
from .home import home
from .search import search

__all__ = ["agency", "agency_directory", "attachment", "document", "guide", "home", "search"]
