# Issue 18 item 5 (分项答复): an application's items, each with its own outcome and files.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_paperwork"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicationItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("description", models.TextField(verbose_name="该项所需信息")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("disclosed", "予以公开"),
                            ("partially_disclosed", "部分公开"),
                            ("withheld_state_secret", "不予公开：属于国家秘密"),
                            ("withheld_law", "不予公开：其他法律行政法规禁止公开"),
                            ("withheld_security", "不予公开：危及“三安全一稳定”"),
                            ("withheld_third_party", "不予公开：保护第三方合法权益"),
                            ("withheld_internal", "不予公开：属于三类内部事务信息"),
                            ("withheld_process", "不予公开：属于四类过程性信息"),
                            ("withheld_enforcement", "不予公开：属于行政执法案卷"),
                            ("withheld_inquiry", "不予公开：属于行政查询事项"),
                            ("unavailable_not_held", "无法提供：本机关不掌握相关政府信息"),
                            ("unavailable_needs_creation", "无法提供：没有现成信息需要另行制作"),
                            ("unavailable_unclear", "无法提供：补正后申请内容仍不明确"),
                            ("unprocessed_petition", "不予处理：信访举报投诉类申请"),
                            ("unprocessed_repeat", "不予处理：重复申请"),
                            ("unprocessed_publication", "不予处理：要求提供公开出版物"),
                            ("unprocessed_excessive", "不予处理：无正当理由大量反复申请"),
                            ("unprocessed_confirmation", "不予处理：要求行政机关确认或重新出具已获取信息"),
                            ("other_no_correction", "其他处理：申请人无正当理由逾期不补正"),
                            ("other_fee_unpaid", "其他处理：申请人逾期未按收费通知要求缴纳费用"),
                            ("other", "其他处理：其他"),
                        ],
                        max_length=32,
                        verbose_name="处理结果",
                    ),
                ),
                ("reasons", models.TextField(blank=True, verbose_name="理由和依据")),
                ("provided_how", models.CharField(blank=True, max_length=300, verbose_name="提供方式")),
                (
                    "withheld_parts",
                    models.JSONField(blank=True, default=list, verbose_name="不予公开的部分及理由"),
                ),
                (
                    "other_agency",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="负责公开该信息的机关及联系方式"
                    ),
                ),
                ("recorded_at", models.DateTimeField(blank=True, null=True, verbose_name="确定结果时间")),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="applications.application",
                    ),
                ),
                (
                    "files",
                    models.ManyToManyField(
                        blank=True,
                        related_name="items",
                        to="applications.applicationfile",
                        verbose_name="该项提供的文件",
                    ),
                ),
                (
                    "recorded_by",
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
                "verbose_name": "分项",
                "verbose_name_plural": "分项",
                "ordering": ["position", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("application", "position"), name="unique_item_position")
                ],
            },
        ),
    ]
