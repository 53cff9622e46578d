# Paperwork in and out (issue 18 item 3): scan kinds of ApplicationFile, the posted/signed-for
# dispatch of a letter and the consulted party's written opinion. Existing DeliveryRecord rows
# stay as they are (a delivery recorded in one step has no dispatch).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_letter_drafts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="applicationfile",
            name="kind",
            field=models.CharField(
                choices=[
                    ("identity_proof", "身份证明"),
                    ("provided", "提供的信息"),
                    ("provided_original", "提供信息的原件（仅内部）"),
                    ("other", "其他材料"),
                    ("letter_scan", "申请信函（扫描件）"),
                    ("envelope", "信封（扫描件）"),
                    ("oral_record", "口头申请记录（签字扫描件）"),
                    ("opinion", "第三方书面意见（扫描件）"),
                    ("delivery_receipt", "送达回证（扫描件）"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="ConsultationOpinion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opinion_scans",
                        to="applications.consultation",
                    ),
                ),
                (
                    "file",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consultation_opinion",
                        to="applications.applicationfile",
                    ),
                ),
            ],
            options={
                "verbose_name": "征求意见书面意见",
                "verbose_name_plural": "征求意见书面意见",
            },
        ),
        migrations.CreateModel(
            name="Dispatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        choices=[("email", "电子邮件"), ("post", "邮寄"), ("collect", "当面领取")],
                        max_length=12,
                        verbose_name="送达方式",
                    ),
                ),
                ("posted_on", models.DateField(verbose_name="交寄日期")),
                ("carrier", models.CharField(blank=True, max_length=100, verbose_name="寄递单位")),
                ("tracking_no", models.CharField(blank=True, max_length=60, verbose_name="邮件号码")),
                ("email_to", models.EmailField(blank=True, max_length=254, verbose_name="收件邮箱")),
                (
                    "email_message_id",
                    models.CharField(blank=True, max_length=255, verbose_name="邮件标识（Message-ID）"),
                ),
                ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="发送时间")),
                ("signed_on", models.DateField(blank=True, null=True, verbose_name="签收日期")),
                ("signer", models.CharField(blank=True, max_length=100, verbose_name="签收人")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dispatches",
                        to="applications.application",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "delivery",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dispatch",
                        to="applications.deliveryrecord",
                    ),
                ),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dispatches",
                        to="applications.letter",
                    ),
                ),
                (
                    "receipt_scan",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="applications.applicationfile",
                    ),
                ),
            ],
            options={
                "verbose_name": "交寄记录",
                "verbose_name_plural": "交寄记录",
                "ordering": ["created_at", "id"],
            },
        ),
    ]
