# Key-area compliance, consultation adoption and question replies as indicators (issue 16).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0002_indicator_guide_current'),
    ]

    operations = [
        migrations.AlterField(
            model_name='indicator',
            name='key',
            field=models.CharField(choices=[('publication_on_time', '主动公开及时率'), ('reply_on_time', '依申请公开按时答复率'), ('overdue', '逾期答复件数'), ('reversed', '复议诉讼被纠错件数'), ('catalogue_current', '目录更新及时'), ('complaints_upheld', '举报属实件数'), ('guide_current', '公开指南及时更新'), ('keyarea_on_time', '重点领域按时公开率'), ('consultation_adoption', '征求意见采纳率'), ('question_on_time', '网上咨询按时答复率'), ('manual', '人工评分')], max_length=32, verbose_name='指标'),
        ),
    ]
