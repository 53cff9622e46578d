"""The `gongkai` command (interfaces.md): a thin front over Django management commands.

Exit status: 0 success, 1 user error (one line on stderr saying what to fix), 2 usage error.
"""

import os
import sys

# interfaces.md names -> management command modules
COMMANDS = {
    "migrate": "migrate",
    "demo": "demo",
    "serve": "serve",
    "import-agencies": "import_agencies",
    "import-documents": "import_documents",
    "import-applications": "import_applications",
    "import-powers": "import_powers",
    "import-key-areas": "import_key_areas",
    "search": "search",
    "reindex": "reindex",
    "createsuperuser": "createsuperuser",
    "audit-verify": "audit_verify",
    "audit-anchor": "audit_anchor",
    "scan": "scan",
    "calendar": "calendar",
    "sweep-attachments": "sweep_attachments",
    "publish-scheduled": "publish_scheduled",
    "remind": "remind",
    "export-reading-points": "export_reading_points",
    "annual-report": "annual_report",
    "purge-personal-data": "purge_personal_data",
    "backup": "backup",
    "restore": "restore",
}
# Commands that create or do not need the schema (a backup records how far the database is
# migrated; a restore migrates what it restores).
NO_SCHEMA_CHECK = {"migrate", "demo", "createsuperuser", "scan", "backup", "restore"}

USAGE = """usage: gongkai COMMAND [ARGS]

commands:
  migrate                      create or upgrade the database
  demo [--port N] [--no-serve] set up demo data and serve the platform
  serve [--port N] [--host H]  serve the platform
  import-agencies FILE.jsonl [--dry-run] [--json]
                               load or update the agency directory
  import-documents FILE.jsonl --agency CODE [--dry-run] [--json]
                               import and publish documents
  import-applications FILE.jsonl --agency CODE [--dry-run] [--json]
                               import historical applications and their cases
  import-powers FILE.jsonl --agency CODE [--dry-run] [--json]
                               load or update an agency's power list (权力清单)
  import-key-areas [FILE.json] [--json]
                               load or update the key areas' standard catalogues (重点领域)
  search QUERY [--agency CODE] [--subject S] [--genre G] [--year Y] [--validity V]
               [--sort relevance|date] [--limit N] [--json]
  reindex [--pending]          rebuild the search index from the database
  audit-verify [--json]        check the audit trail's hash chain against the latest anchor
  audit-anchor [--json]        append the audit chain's head to the anchor file (cron)
  scan FILE... [--json]        confidentiality / privacy pre-scan of text, DOCX or PDF files
  calendar add-workdays DATE N [--json]
                               the Nth working day after DATE (Chinese calendar)
  calendar load FILE           load a year's holiday notice
  sweep-attachments [--json]   delete attachment files left by interrupted uploads
  publish-scheduled [--json]   publish approved records whose scheduled time has come (cron)
  remind [--dry-run] [--json]  e-mail staff about records due soon or overdue (cron, daily)
  export-reading-points --agency CODE --from DATE --to DATE -o FILE.zip
                               package an agency's disclosed documents for reading points
  annual-report --agency CODE --year YYYY [--format json|html|pdf|docx|xlsx] [-o FILE]
                               an agency's annual report generated from its records
  annual-report check FILE.json [--previous FILE.json] [--json]
                               check a report as published anywhere (blank cells allowed)
  annual-report import FILE.json --agency CODE --year YYYY
                               store a report published before the platform (read-only)
  purge-personal-data [--dry-run] [--before DATE] [--json]
                               anonymise records older than the retention period (cron)
  backup -o FILE.tar [--json]  archive the database and uploaded files (search index excluded)
  restore FILE.tar [--yes] [--json]
                               restore a backup, migrate, rebuild the index, verify the audit trail
  createsuperuser              create an administrator account

Run `gongkai COMMAND --help` for a command's options.
"""


def _schema_is_current() -> bool:
    # Django is imported after main() has set DJANGO_SETTINGS_MODULE; `gongkai --help` loads none of it.
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0 if argv else 2
    name = argv[0]
    if name not in COMMANDS:
        sys.stderr.write(f"gongkai: unknown command {name!r}\n{USAGE}")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    # Django only now that its settings module is named (and not at all for the usage text).
    import django
    from django.core.management import CommandError, load_command_class
    from django.core.management.base import SystemCheckError
    from django.db import OperationalError

    django.setup()
    # `annual-report check` reads a file only; it must work before any database exists.
    reads_a_file_only = argv[:2] == ["annual-report", "check"]
    if name not in NO_SCHEMA_CHECK and not reads_a_file_only and "--help" not in argv and "-h" not in argv:
        try:
            current = _schema_is_current()
        except OperationalError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            sys.stderr.write(f"gongkai: cannot open the database ({first_line}); check DATABASE_URL\n")
            return 1
        if not current:
            sys.stderr.write("gongkai: the database is missing or behind; run `gongkai migrate` first\n")
            return 1
    module = COMMANDS[name]
    app = "django.core" if module in ("migrate",) else None
    if module == "createsuperuser":
        app = "django.contrib.auth"
    if app is None:
        from django.core.management import get_commands  # after django.setup(), as above

        app = get_commands()[module]
    command = load_command_class(app, module)
    try:
        command.run_from_argv(["gongkai", name, *argv[1:]])
    except CommandError as exc:  # raised only when not called from the command line
        sys.stderr.write(f"gongkai {name}: {exc}\n")
        return exc.returncode
    except SystemCheckError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
