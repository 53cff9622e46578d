"""Demo power lists (权力清单) of the city education bureau and the city ecology and environment
bureau: licensing, penalty, enforcement, inspection and benefit powers with their legal bases and
procedure steps (so the flow charts draw), one licensing power revised on 1 January of this year
(two versions), and decision counts for last year and this year so far (Table 1 of the annual
report). Called by gongkai.operations.demo.load_demo; safe to run again.

Loaded through the import (`gongkai import-powers`), which validates every line and writes
through the services with the agency administrator as the actor."""

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency

from .importing import PowerImportResult, import_powers
from .models import Power

PENALTY_STEPS = [
    "立案",
    "调查取证",
    "案件审查",
    "法制审核",
    "告知陈述、申辩和听证权利",
    "集体讨论决定",
    "送达处罚决定书",
    "执行",
]
PENALTY_TIME_LIMIT = "自立案之日起90日内作出行政处罚决定（《中华人民共和国行政处罚法》第六十条）"
INSPECTION_STEPS = [
    "制定年度检查计划",
    "随机抽取检查对象和执法人员",
    "出示执法证件",
    "现场检查",
    "制作检查笔录",
    "反馈检查意见",
    "检查结果公开",
]

# Each power: its versions, oldest first, as import lines without code, type and name (a version
# without "effective_from" takes effect on 1 January this year); "decisions" is (last year's
# count, this year's annual pace: the count so far is prorated to today).
PRIVATE_SCHOOLS_2021 = {
    "effective_from": "2021-09-01",
    "legal_basis": (
        "《中华人民共和国民办教育促进法》第十二条及第八章“变更与终止”；"
        "《中华人民共和国民办教育促进法实施条例》（2021年修订）"
    ),
    "conditions": (
        "举办者为具有法人资格的社会组织或具有政治权利和完全民事行为能力的自然人；"
        "有符合规定的组织机构、教师、场地、设施和办学经费；不得设立实施义务教育的营利性民办学校。"
    ),
    "materials": (
        "1.申办报告；2.举办者资格证明文件；3.拟任校长、理事会（董事会）成员及教师名单和资格证明；"
        "4.校舍产权证明或租赁合同；5.资产来源及验资证明；6.学校章程和发展规划。"
    ),
    "procedure_steps": [
        "申请",
        "受理",
        "材料审查",
        "实地考察",
        "专家评议",
        "集体研究决定",
        "制发许可证",
        "送达",
    ],
    "time_limit": "法定时限：自受理之日起3个月；承诺时限：30个工作日",
    "fees": "不收费",
    "responsible_unit": "民办教育管理科",
    "supervision_phone": "0792-8225511",
    "complaint_phone": "12345",
}
# This year's revision: online application, capital proof by declaration (告知承诺), a shorter
# promised time limit, and the approval moved to the bureau's approval section.
PRIVATE_SCHOOLS_REVISED = {
    **{key: value for key, value in PRIVATE_SCHOOLS_2021.items() if key != "effective_from"},
    "materials": (
        "1.申办报告；2.举办者资格证明文件；3.拟任校长、理事会（董事会）成员及教师名单和资格证明；"
        "4.校舍产权证明或租赁合同；5.学校章程和发展规划。资产来源实行告知承诺，不再提交验资报告。"
    ),
    "procedure_steps": [
        "网上申请",
        "受理",
        "材料审查与实地考察",
        "专家评议",
        "决定",
        "送达（邮寄或网上领取电子证照）",
    ],
    "time_limit": "法定时限：自受理之日起3个月；承诺时限：20个工作日",
    "responsible_unit": "行政审批科",
}

EDUCATION_POWERS = [
    {
        "code": "JY-XK-001",
        "type": "许可",
        "name": "实施高中阶段学历教育的民办学校设立、分立、合并、变更及终止审批",
        "decisions": (4, 3),
        "versions": [PRIVATE_SCHOOLS_2021, PRIVATE_SCHOOLS_REVISED],
    },
    {
        "code": "JY-XK-002",
        "type": "许可",
        "name": "高级中学和中等职业学校教师资格认定",
        "decisions": (1386, 1290),
        "versions": [
            {
                "effective_from": "2022-01-01",
                "legal_basis": "《中华人民共和国教师法》第十三条；《教师资格条例》第十三条；《〈教师资格条例〉实施办法》",
                "conditions": (
                    "遵守宪法和法律，热爱教育事业，具有良好的思想品德；具备规定的学历或经国家教师资格考试合格；"
                    "具有教育教学能力；普通话水平达到二级乙等以上。"
                ),
                "materials": (
                    "1.身份证明；2.学历证书；3.中小学教师资格考试合格证明；4.普通话水平测试等级证书；"
                    "5.体检合格证明；6.近期免冠照片。"
                ),
                "procedure_steps": ["网上申报", "现场确认", "资格审查", "体检", "认定决定", "证书发放"],
                "time_limit": "法定时限：自受理期限终止之日起30日；承诺时限：20个工作日",
                "fees": "不收费",
                "responsible_unit": "教师工作科",
                "supervision_phone": "0792-8225511",
                "complaint_phone": "12345",
            }
        ],
    },
    {
        "code": "JY-CF-001",
        "type": "处罚",
        "name": "对民办学校发布虚假招生简章或者广告骗取钱财的行政处罚",
        "decisions": (3, 2),
        "versions": [
            {
                "effective_from": "2021-09-01",
                "legal_basis": "《中华人民共和国民办教育促进法》第六十二条；《中华人民共和国行政处罚法》",
                "conditions": "有证据初步证明民办学校存在违法行为，依法应当给予行政处罚的，予以立案。",
                "procedure_steps": PENALTY_STEPS,
                "time_limit": PENALTY_TIME_LIMIT,
                "responsible_unit": "政策法规科",
                "supervision_phone": "0792-8225511",
                "complaint_phone": "12345",
            }
        ],
    },
    {
        "code": "JY-JC-001",
        "type": "检查",
        "name": "对民办学校和校外培训机构办学行为的监督检查",
        "decisions": (126, 110),
        "versions": [
            {
                "effective_from": "2022-01-01",
                "legal_basis": (
                    "《中华人民共和国民办教育促进法》；"
                    "《国务院办公厅关于规范校外培训机构发展的意见》（国办发〔2018〕80号）"
                ),
                "procedure_steps": INSPECTION_STEPS,
                "time_limit": "按年度检查计划实施，检查结果在检查结束后20个工作日内公开",
                "responsible_unit": "民办教育管理科",
                "supervision_phone": "0792-8225511",
                "complaint_phone": "12345",
            }
        ],
    },
    {
        "code": "JY-GF-001",
        "type": "给付",
        "name": "普通高中国家助学金发放",
        "decisions": (5230, 4980),
        "versions": [
            {
                "effective_from": "2022-01-01",
                "legal_basis": "《学生资助资金管理办法》（财教〔2021〕310号）",
                "conditions": "具有正式注册学籍的普通高中在校家庭经济困难学生。",
                "materials": "1.普通高中国家助学金申请表；2.家庭经济困难情况说明。",
                "procedure_steps": ["学生申请", "学校评审", "校内公示", "教育局审核", "资金发放"],
                "time_limit": "每学期评审一次，资金按学期发放",
                "fees": "不收费",
                "responsible_unit": "学生资助管理中心",
                "supervision_phone": "0792-8225511",
                "complaint_phone": "12345",
            }
        ],
    },
]

ENVIRONMENT_POWERS = [
    {
        "code": "STHJ-XK-001",
        "type": "许可",
        "name": "建设项目环境影响报告书（表）审批",
        "decisions": (68, 60),
        "versions": [
            {
                "effective_from": "2022-01-01",
                "legal_basis": "《中华人民共和国环境影响评价法》第二十二条；《建设项目环境保护管理条例》",
                "conditions": (
                    "建设项目类型及其选址、布局、规模等符合环境保护法律法规和相关法定规划；"
                    "所在区域环境质量满足功能区要求；污染防治措施能够确保污染物排放达到国家和地方排放标准。"
                ),
                "materials": "1.审批申请；2.建设项目环境影响报告书（表）；3.公众参与说明（编制报告书的项目）。",
                "procedure_steps": [
                    "申请",
                    "受理",
                    "受理情况公示",
                    "技术评估",
                    "审查",
                    "拟审批公示",
                    "审批决定",
                    "审批结果公开",
                ],
                "time_limit": "法定时限：报告书60日、报告表30日；承诺时限：报告书30个工作日、报告表15个工作日",
                "fees": "不收费",
                "responsible_unit": "环境影响评价与排放管理科",
                "supervision_phone": "0792-8256110",
                "complaint_phone": "12369",
            }
        ],
    },
    {
        "code": "STHJ-CF-001",
        "type": "处罚",
        "name": "对超过大气污染物排放标准或者重点大气污染物排放总量控制指标排放大气污染物的行政处罚",
        "decisions": (37, 31),
        "versions": [
            {
                "effective_from": "2022-01-01",
                "legal_basis": "《中华人民共和国大气污染防治法》第九十九条；《中华人民共和国行政处罚法》",
                "conditions": "经监测或检查发现排污单位超标、超总量排放大气污染物的，予以立案。",
                "procedure_steps": PENALTY_STEPS,
                "time_limit": PENALTY_TIME_LIMIT,
                "responsible_unit": "生态环境保护综合行政执法支队",
                "supervision_phone": "0792-8256110",
                "complaint_phone": "12369",
            }
        ],
    },
    {
        "code": "STHJ-QZ-001",
        "type": "强制",
        "name": "查封、扣押造成污染物排放的设施、设备",
        "decisions": (6, 5),
        "versions": [
            {
                "effective_from": "2022-01-01",
                "legal_basis": (
                    "《中华人民共和国环境保护法》第二十五条；《中华人民共和国行政强制法》；"
                    "《环境保护主管部门实施查封、扣押办法》"
                ),
                "conditions": "违反法律法规规定排放污染物，造成或者可能造成严重污染的。",
                "procedure_steps": [
                    "调查核实",
                    "报经负责人批准",
                    "送达查封、扣押决定书",
                    "实施查封、扣押",
                    "制作现场笔录和清单",
                    "作出处理决定",
                    "解除查封、扣押",
                ],
                "time_limit": "查封、扣押期限不超过30日；情况复杂的，经批准可延长，延长不超过30日",
                "responsible_unit": "生态环境保护综合行政执法支队",
                "supervision_phone": "0792-8256110",
                "complaint_phone": "12369",
            }
        ],
    },
    {
        "code": "STHJ-JC-001",
        "type": "检查",
        "name": "对排放污染物的企业事业单位和其他生产经营者的现场检查",
        "decisions": (412, 380),
        "versions": [
            {
                "effective_from": "2022-01-01",
                "legal_basis": "《中华人民共和国环境保护法》第二十四条",
                "procedure_steps": INSPECTION_STEPS,
                "time_limit": "按“双随机、一公开”年度抽查计划实施",
                "responsible_unit": "生态环境保护综合行政执法支队",
                "supervision_phone": "0792-8256110",
                "complaint_phone": "12369",
            }
        ],
    },
]


def _so_far(annual_pace: int, today: date) -> int:
    """This year's count so far at an annual pace, prorated to ``today``."""
    days = (date(today.year + 1, 1, 1) - date(today.year, 1, 1)).days
    return annual_pace * today.timetuple().tm_yday // days


def power_lines(powers: list[dict], today: date) -> list[str]:
    """The import lines of ``powers``: one per version, the counts on the first."""
    lines = []
    for power in powers:
        last_year, pace = power["decisions"]
        decisions = {str(today.year - 1): last_year, str(today.year): _so_far(pace, today)}
        for number, version in enumerate(power["versions"]):
            effective_from = version.get("effective_from") or date(today.year, 1, 1).isoformat()
            line = {
                "code": power["code"],
                "type": power["type"],
                "name": power["name"],
                **version,
                "effective_from": effective_from,
            }
            if number == 0:
                line["decisions"] = decisions
            lines.append(json.dumps(line, ensure_ascii=False))
    return lines


def powers_demo_load(
    *, education: Agency, environment: Agency, education_admin: str, environment_admin: str
) -> PowerImportResult:
    """Import the power list of each of the two agencies that has none yet, with its
    administrator (by username) as the actor; returns the import counts added together."""
    today = timezone.localdate()
    users = get_user_model().objects.in_bulk([education_admin, environment_admin], field_name="username")
    total = PowerImportResult()
    for agency, powers, username in [
        (education, EDUCATION_POWERS, education_admin),
        (environment, ENVIRONMENT_POWERS, environment_admin),
    ]:
        if Power.objects.filter(agency=agency).exists():
            continue
        result = import_powers(power_lines(powers, today), agency=agency, actor=users[username])
        total.created += result.created
        total.revised += result.revised
        total.decision_counts += result.decision_counts
    return total
