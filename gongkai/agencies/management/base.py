"""What the commands that name an agency share: ``agency_named`` (``--agency CODE``, a code
already in the directory) and the base of the imports into one agency (import-documents,
import-applications, import-powers)."""

from django.core.management.base import CommandError

from gongkai.agencies.importing import normalize_code
from gongkai.agencies.models import Agency
from gongkai.core.importing import ImportCommand


def agency_named(code: str) -> Agency:
    """The agency with this code, or a CommandError that says how to load the directory."""
    agency = Agency.objects.filter(code=normalize_code(code)).first()
    if agency is None:
        raise CommandError(
            f"no agency with code {code!r}; load the directory first with `gongkai import-agencies FILE.jsonl`"
        )
    return agency


class AgencyImportCommand(ImportCommand):
    agency_help = "code of the agency"

    def find_agency(self, code: str) -> Agency:
        return agency_named(code)
