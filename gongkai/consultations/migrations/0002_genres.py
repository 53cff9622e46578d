"""The two genres a consultation's documents carry: the draft for comment (征求意见稿) and the
adoption report (意见采纳情况), so they can be found in the catalogue by genre."""

from django.db import migrations

GENRES = ("征求意见稿", "意见采纳情况")


def add_genres(apps, schema_editor):
    genre = apps.get_model("catalogue", "Genre")
    top = genre.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    for i, name in enumerate(GENRES, start=1):
        genre.objects.get_or_create(name=name, defaults={"sort_order": top + i})


def remove_genres(apps, schema_editor):
    apps.get_model("catalogue", "Genre").objects.filter(name__in=GENRES, documents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(add_genres, remove_genres)]
