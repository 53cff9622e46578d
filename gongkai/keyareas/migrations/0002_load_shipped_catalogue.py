"""Load the shipped key-area catalogue (data/key_areas.json) with the historical models.
Later versions of the file are loaded by `python -m django import_key_areas` (docs/keyareas.md)."""

from types import SimpleNamespace

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from gongkai.keyareas.catalogue_file import SHIPPED, parse_catalogue, write_catalogue

    models = SimpleNamespace(
        KeyArea=apps.get_model("keyareas", "KeyArea"),
        StandardItem=apps.get_model("keyareas", "StandardItem"),
        KeyAreaVersion=apps.get_model("keyareas", "KeyAreaVersion"),
    )
    write_catalogue(parse_catalogue(SHIPPED.read_bytes()), models=models, loaded_by="migration", now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("keyareas", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
