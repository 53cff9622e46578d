"""Seed taxonomies of the catalogue (catalogue.md): the subject taxonomy (主题分类) of the State
Council's policy library and the genre list (体裁分类).

They are loaded by migration 0002 and stay ordinary rows, editable afterwards; loading is
idempotent (existing rows, renamed sort orders and local entries are left alone). Changing these
constants changes nothing in an existing database: add a migration that calls ``seed_taxonomies``
again.
"""

# The 22 top-level categories, in the State Council's order, each with its second level.
SUBJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "国务院组织机构",
        (
            "国务院组成部门",
            "国务院直属特设机构",
            "国务院直属机构",
            "国务院办事机构",
            "国务院直属事业单位",
            "国务院部委管理的国家局",
            "议事协调机构",
            "其他",
        ),
    ),
    ("综合政务", ("政务公开", "政务督查", "应急管理", "电子政务", "信访", "文秘工作", "参事、文史", "其他")),
    (
        "国民经济管理、国有资产监管",
        ("发展规划", "宏观经济", "经济体制改革", "价格", "统计", "物资储备", "国有资产监管", "其他"),
    ),
    ("财政、金融、审计", ("财政", "税务", "金融", "银行", "保险", "证券", "审计", "会计", "其他")),
    (
        "国土资源、能源",
        ("土地", "矿产", "海洋", "测绘", "地震", "气象", "能源", "电力", "煤炭", "石油与天然气", "其他"),
    ),
    ("农业、林业、水利", ("农业、畜牧业、渔业", "林业", "水利", "粮食", "农村经济", "其他")),
    ("工业、交通", ("工业", "信息产业（含电信）", "铁路", "公路", "水运", "民航", "邮政", "其他")),
    ("商贸、海关、旅游", ("国内贸易（含供销）", "对外经贸合作", "海关", "口岸", "旅游", "服务业", "其他")),
    (
        "市场监管、安全生产监管",
        ("市场监管", "质量监督", "食品药品监管", "知识产权", "安全生产监管", "其他"),
    ),
    (
        "城乡建设、环境保护",
        ("城乡建设（含住房）", "城市规划", "环境监测、保护与治理", "节能与资源综合利用", "其他"),
    ),
    ("科技、教育", ("科技", "教育", "其他")),
    ("文化、广电、新闻出版", ("文化", "广播、电影、电视", "新闻出版", "文物", "其他")),
    ("卫生、体育", ("卫生", "医药管理", "医疗保障", "体育", "其他")),
    ("人口与计划生育、妇女儿童工作", ("人口与计划生育", "妇女儿童", "老龄工作", "其他")),
    ("劳动、人事、监察", ("人事工作", "劳动就业", "社会保障", "监察", "其他")),
    ("公安、安全、司法", ("公安", "国家安全", "司法", "法制", "其他")),
    (
        "民政、扶贫、救灾",
        (
            "社会救助",
            "社会福利",
            "扶贫",
            "减灾救灾",
            "优抚安置",
            "社会组织",
            "社区建设",
            "行政区划与地名",
            "其他",
        ),
    ),
    ("民族、宗教", ("民族事务", "宗教事务", "其他")),
    ("对外事务", ("外事工作", "国际交流与合作", "其他")),
    ("港澳台侨工作", ("港澳工作", "对台工作", "侨务工作", "其他")),
    ("国防", ("国防动员", "人民防空", "兵役", "其他")),
    ("其他", ("其他",)),
)

# The 15 official document types (党政机关公文处理工作条例, Art. 8), then the catalogue's own.
OFFICIAL_GENRES: tuple[str, ...] = (
    "决议",
    "决定",
    "命令(令)",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
)
CATALOGUE_GENRES: tuple[str, ...] = (
    "规章",
    "规范性文件",
    "规划",
    "计划总结",
    "统计信息",
    "工作动态",
    "应急预案",
    "政策解读",
    "其他",
)
GENRES: tuple[str, ...] = OFFICIAL_GENRES + CATALOGUE_GENRES


def seed_taxonomies(subject_model, genre_model) -> None:
    """Create the seed subjects and genres that are missing. Takes the model classes so that a
    migration can pass its historical models."""
    for i, (top_name, children) in enumerate(SUBJECTS, start=1):
        top = subject_model.objects.filter(parent__isnull=True, agency__isnull=True, name=top_name).first()
        if top is None:
            top = subject_model.objects.create(name=top_name, sort_order=i * 100)
        for j, child in enumerate(children, start=1):
            subject_model.objects.get_or_create(parent=top, name=child, defaults={"sort_order": i * 100 + j})
    for i, name in enumerate(GENRES, start=1):
        genre_model.objects.get_or_create(name=name, defaults={"sort_order": i})


def unseed_taxonomies(subject_model, genre_model) -> None:
    """Delete the seed rows that nothing uses (no document, no local sub-entry); rows in use stay."""
    for top_name, children in SUBJECTS:
        for top in subject_model.objects.filter(parent__isnull=True, agency__isnull=True, name=top_name):
            subject_model.objects.filter(
                parent=top, name__in=children, agency__isnull=True, documents__isnull=True
            ).delete()
            if not subject_model.objects.filter(parent=top).exists() and not top.documents.exists():
                top.delete()
    genre_model.objects.filter(name__in=GENRES, documents__isnull=True).delete()
