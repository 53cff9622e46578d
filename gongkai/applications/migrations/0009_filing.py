# Filing (归档) of closed cases, issue 18 item 6: the agency's 档号 rule, the gap-free sequence
# per agency and year, and the filing record with its 卷内目录.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RETENTION = [("Y", "永久"), ("D30", "定期30年"), ("D10", "定期10年")]


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_items"),
        ("agencies", "0005_guide_text_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FilingRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "pattern",
                    models.CharField(
                        default="{code}·{year}·{retention}·{seq:4}",
                        help_text="可用：{code} 全宗号、{region} 区划代码、{year} 年度、{retention} 保管期限、{seq:N} N位件号",
                        max_length=120,
                        verbose_name="档号规则",
                    ),
                ),
                ("fonds_code", models.CharField(blank=True, max_length=20, verbose_name="全宗号")),
                ("region", models.CharField(blank=True, max_length=12, verbose_name="行政区划代码")),
                (
                    "retention",
                    models.CharField(choices=RETENTION, default="D10", max_length=4, verbose_name="保管期限"),
                ),
                (
                    "agency",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="filing_rule",
                        to="agencies.agency",
                    ),
                ),
            ],
            options={"verbose_name": "归档规则", "verbose_name_plural": "归档规则"},
        ),
        migrations.CreateModel(
            name="CaseFiling",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("archive_no", models.CharField(max_length=80, verbose_name="档号")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("seq", models.PositiveIntegerField(verbose_name="件号")),
                ("retention", models.CharField(choices=RETENTION, max_length=4, verbose_name="保管期限")),
                ("contents", models.JSONField(default=list, verbose_name="卷内目录")),
                ("filed_at", models.DateTimeField(auto_now_add=True, verbose_name="归档时间")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="agencies.agency"
                    ),
                ),
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="filing",
                        to="applications.application",
                    ),
                ),
                (
                    "filed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "归档记录",
                "verbose_name_plural": "归档记录",
                "constraints": [
                    models.UniqueConstraint(fields=("agency", "year", "seq"), name="unique_filing_seq"),
                    models.UniqueConstraint(fields=("agency", "archive_no"), name="unique_filing_archive_no"),
                ],
            },
        ),
        migrations.CreateModel(
            name="FilingSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="agencies.agency"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("agency", "year"), name="unique_filing_sequence")
                ],
            },
        ),
    ]
