"""Indexes of the workbench's application list (issue 13 §4; bench/README.md, applications)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_filing"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["agency", "reply_due_on", "-submitted_at", "state", "channel", "assigned_to"],
                name="application_list_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["assigned_to", "agency", "reply_due_on", "-submitted_at"], name="application_mine_idx"
            ),
        ),
    ]
