"""The demo data set behind `gongkai demo`: a city government with its departments, a
district with its own, a township, the State Council with the real documents of
``shared/corpus``, reading points, sample documents and staff logins.

Everything is loaded through the same code paths as real data (the import functions and the
services), so the demo exercises what users run; and loading twice changes nothing twice.
This is the demo's composition root, in the operations layer above the apps it reaches into.

Kept as one module on purpose (over 500 lines): it reads top to bottom as the story the demo
tells; each app's own demo data lives in that app's demo.py.
"""

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.agencies.importing import AgencyImportResult, import_agencies
from gongkai.agencies.models import Agency, ReadingPoint, Role
from gongkai.agencies.services import reading_point_upsert, staff_role_grant
from gongkai.applications.demo import applications_demo_load
from gongkai.assessment.demo import assessment_demo_load
from gongkai.casework.demo import casework_demo_load
from gongkai.catalogue.importing import DocumentImportResult, import_documents
from gongkai.catalogue.models import Document, Validity
from gongkai.catalogue.services import document_set_validity, interpretation_link
from gongkai.complaints.demo import complaints_demo_load
from gongkai.consultations.demo import consultations_demo_load
from gongkai.core.audit import audit_record
from gongkai.core.jsonl import ImportFailed, LineError, open_jsonl, read_jsonl
from gongkai.keyareas.demo import keyareas_demo_load
from gongkai.powers.demo import powers_demo_load
from gongkai.publishing.demo import SUPERVISOR, publishing_demo_load
from gongkai.questions.demo import questions_demo_load
from gongkai.reports.demo import reports_demo_load

AGENCIES_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_agencies.jsonl"
STATE_COUNCIL = "000014349"
# The NPC, which adopts the resolutions on the work reports. The demo directory's codes are
# checksummed placeholders, not registry data (the State Council's is the one on its catalogue).
NPC = "11100000000014365X"
CORPUS_FILE = "gov_work_reports.jsonl"
CORPUS_SUBJECT = "综合政务"

CITY = "1136990005260181XC"
CITY_EDUCATION = "113699000661318636"
CITY_HEALTH = "11369900082199358U"
CITY_ENVIRONMENT = "11369900096030828X"
CITY_HOUSING = "113699000462819442"
DISTRICT = "11369902018190930M"
DISTRICT_CIVIL_AFFAIRS = "11369902054323198B"
TOWNSHIP = "11369902048757491U"

# One administrator login per demo agency (security.md: no shared accounts).
DEMO_ADMINISTRATORS = {
    STATE_COUNCIL: "gwy-admin",
    CITY: "jiangzhou-admin",
    "11369900059083015W": "jz-fgw-admin",
    CITY_EDUCATION: "jz-jyj-admin",
    "11369900009139092Q": "jz-czj-admin",
    CITY_ENVIRONMENT: "jz-sthjj-admin",
    CITY_HOUSING: "jz-zjj-admin",
    CITY_HEALTH: "jz-wjw-admin",
    DISTRICT: "binjiang-admin",
    "11369902078657977C": "bj-jtj-admin",
    DISTRICT_CIVIL_AFFAIRS: "bj-mzj-admin",
    TOWNSHIP: "changning-admin",
}
SUPERUSER = "admin"

CITY_AGENCIES = [CITY, "11369900059083015W", CITY_EDUCATION, "11369900009139092Q", CITY_ENVIRONMENT]
CITY_AGENCIES += ["113699000462819442", CITY_HEALTH]
DISTRICT_AGENCIES = [DISTRICT, "11369902078657977C", DISTRICT_CIVIL_AFFAIRS, TOWNSHIP]

READING_POINTS = [
    {
        "name": "江州市档案馆政府信息查阅中心",
        "kind": ReadingPoint.Kind.ARCHIVE,
        "address": "江州市浔阳区龙开河路9号档案馆一楼",
        "hours": "工作日上午9:00—12:00，下午14:00—17:00",
        "phone": "0792-8223601",
        "agencies": CITY_AGENCIES + DISTRICT_AGENCIES,
    },
    {
        "name": "江州市图书馆政府信息公开查阅点",
        "kind": ReadingPoint.Kind.LIBRARY,
        "address": "江州市濂溪区十里大道1000号图书馆三楼",
        "hours": "周二至周日9:00—20:30",
        "phone": "0792-8110505",
        "agencies": CITY_AGENCIES,
    },
    {
        "name": "江州市政务服务中心政务公开专区",
        "kind": ReadingPoint.Kind.SERVICE_CENTRE,
        "address": "江州市浔阳区长虹大道100号政务服务中心一楼",
        "hours": "工作日上午8:30—12:00，下午14:30—17:30；周六上午9:00—12:00",
        "phone": "0792-8588001",
        "agencies": CITY_AGENCIES,
    },
    {
        "name": "滨江区政务服务中心政务公开专区",
        "kind": ReadingPoint.Kind.SERVICE_CENTRE,
        "address": "江州市滨江区滨江大道1号区行政中心一楼",
        "hours": "工作日上午8:30—12:00，下午14:30—17:30",
        "phone": "0792-6612345",
        "agencies": DISTRICT_AGENCIES,
    },
]

BUSINESS_POLICY = "江州市人民政府关于印发江州市进一步优化营商环境若干措施的通知"
BUSINESS_INTERPRETATION = "《江州市进一步优化营商环境若干措施》政策解读"
WASTE_RULES_OLD = "江州市城市生活垃圾分类管理暂行办法"
WASTE_RULES_NEW = "江州市生活垃圾分类管理办法"

DEMO_DOCUMENTS = {
    CITY: [
        {
            "title": BUSINESS_POLICY,
            "doc_no": "江府发〔2024〕5号",
            "subject": "经济体制改革",
            "genre": "通知",
            "written_on": "2024-03-18",
            "published_on": "2024-03-20",
            "summary": "印发进一步优化营商环境的二十条措施，涵盖政务服务、市场准入、要素保障和涉企执法。",
            "content": (
                "各县（市、区）人民政府，市政府各部门：\n"
                "《江州市进一步优化营商环境若干措施》已经市政府常务会议审议通过，现印发给你们，请认真贯彻执行。\n"
                "一、提升政务服务效能。全面推行“一网通办”，企业开办时间压缩至1个工作日以内；"
                "涉企审批事项实行告知承诺制，做到“一次告知、一表申请、一窗受理”。\n"
                "二、放宽市场准入。全面落实市场准入负面清单制度，清理在招标投标、政府采购中对外地企业设置的"
                "不合理限制。\n"
                "三、强化要素保障。设立中小微企业转贷应急资金，工业用地实行“标准地”出让，"
                "水电气报装时限压减一半。\n"
                "四、规范涉企执法。推行包容审慎监管，对轻微违法行为依法不予行政处罚，"
                "同一部门对同一企业的检查原则上每年不超过一次。\n"
                "江州市人民政府\n2024年3月18日"
            ),
        },
        {
            "title": BUSINESS_INTERPRETATION,
            "subject": "经济体制改革",
            "genre": "政策解读",
            "written_on": "2024-03-20",
            "summary": "市发展改革委就营商环境若干措施的出台背景、主要内容和办理渠道答问。",
            "content": (
                "一、出台背景\n为贯彻《优化营商环境条例》，回应企业和群众关切，市政府制定了本措施。\n"
                "二、主要内容\n措施共四个方面二十条：提升政务服务效能、放宽市场准入、强化要素保障、规范涉企执法。\n"
                "三、企业如何享受政策\n企业可登录江州市政务服务网“惠企政策”专栏在线申报，"
                "也可拨打12345政务服务便民热线咨询。\n"
                "四、解读机关及联系方式\n江州市发展和改革委员会，联系电话：0792-8221530。"
            ),
        },
        {
            "title": WASTE_RULES_OLD,
            "doc_no": "江府规〔2019〕2号",
            "subject": "环境监测、保护与治理",
            "genre": "规范性文件",
            "written_on": "2019-06-28",
            "validity": "废止",
            "content": (
                "第一条 为推进本市城市生活垃圾分类工作，改善人居环境，根据有关法律法规，结合本市实际，制定本办法。\n"
                "第二条 本办法适用于本市中心城区范围内生活垃圾的分类投放、收集、运输和处理。\n"
                "第三条 生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾。\n"
                "第四条 本办法自2019年8月1日起施行，有效期五年。"
            ),
        },
        {
            "title": WASTE_RULES_NEW,
            "doc_no": "江府规〔2024〕1号",
            "subject": "环境监测、保护与治理",
            "genre": "规范性文件",
            "written_on": "2024-01-15",
            "content": (
                "第一条 为加强生活垃圾分类管理，推进减量化、资源化、无害化，根据《中华人民共和国固体废物污染环境防治法》"
                "等法律法规，结合本市实际，制定本办法。\n"
                "第二条 本办法适用于本市行政区域内生活垃圾的源头减量、分类投放、分类收集、分类运输和分类处理。\n"
                "第三条 生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类。"
                "单位和个人应当按照分类标准将生活垃圾投放至相应的收集容器。\n"
                "第四条 市住房和城乡建设局是本市生活垃圾分类工作的主管部门。\n"
                "第五条 本办法自2024年3月1日起施行。《江州市城市生活垃圾分类管理暂行办法》（江府规〔2019〕2号）同时废止。"
            ),
        },
        {
            "title": "江州市人民政府办公室关于印发江州市2024年政务公开工作要点的通知",
            "doc_no": "江府办发〔2024〕12号",
            "subject": "政务公开",
            "genre": "通知",
            "written_on": "2024-04-22",
            "content": (
                "各县（市、区）人民政府，市政府各部门：\n"
                "现将《江州市2024年政务公开工作要点》印发给你们，请结合实际认真抓好落实。\n"
                "一、深化重点领域信息公开。做好财政预决算、重大建设项目、公共资源配置等信息的主动公开。\n"
                "二、规范依申请公开办理。严格执行《中华人民共和国政府信息公开条例》规定的答复期限，"
                "统一答复文书格式，加强对补正告知、延期答复的审核。\n"
                "三、加强政策解读。坚持解读与政策文件同步组织、同步审签、同步部署。\n"
                "四、完善公开平台。更新政府信息公开指南和目录，确保查阅场所正常开放。"
            ),
        },
    ],
    CITY_EDUCATION: [
        {
            "title": "江州市教育局关于做好2024年义务教育阶段学校招生入学工作的通知",
            "doc_no": "江教字〔2024〕21号",
            "subject": "教育",
            "genre": "通知",
            "written_on": "2024-04-10",
            "content": (
                "各县（市、区）教育体育局，市直各学校：\n"
                "为做好2024年义务教育阶段学校招生入学工作，现就有关事项通知如下。\n"
                "一、坚持免试就近入学。公办学校按照划定的施教区招生，民办学校与公办学校同步招生。\n"
                "二、简化入学材料。推行网上报名，户籍、房产等信息通过部门数据共享核验，不再要求家长提交纸质证明。\n"
                "三、保障特殊群体就学。进城务工人员随迁子女以居住证为主要依据入学。"
            ),
        },
    ],
    CITY_HEALTH: [
        {
            "title": "江州市卫生健康委员会关于印发江州市突发公共卫生事件应急预案的通知",
            "doc_no": "江卫应急〔2023〕8号",
            "subject": "卫生",
            "genre": "应急预案",
            "written_on": "2023-09-12",
            "content": (
                "各县（市、区）卫生健康委，委直各单位：\n"
                "现将《江州市突发公共卫生事件应急预案》印发给你们，请认真组织实施。\n"
                "本预案适用于本市行政区域内突发公共卫生事件的监测预警、应急处置和恢复重建，"
                "按照事件性质、危害程度和涉及范围分为特别重大、重大、较大和一般四级。"
            ),
        },
    ],
    CITY_ENVIRONMENT: [
        {
            "title": "2023年江州市生态环境状况公报",
            "subject": "环境监测、保护与治理",
            "genre": "公报",
            "written_on": "2024-06-05",
            "content": (
                "2023年，全市环境空气质量优良天数比例为91.2%，细颗粒物（PM2.5）年均浓度为31微克/立方米。"
                "长江江州段水质稳定保持Ⅱ类，国考、省考断面水质优良比例达到100%。"
                "全市受污染耕地安全利用率达到95%以上。"
            ),
        },
    ],
    DISTRICT_CIVIL_AFFAIRS: [
        {
            "title": "江州市滨江区民政局关于调整城乡最低生活保障标准的通知",
            "doc_no": "滨民发〔2024〕6号",
            "subject": "社会救助",
            "genre": "通知",
            "written_on": "2024-07-01",
            "content": (
                "各街道办事处、乡镇人民政府：\n"
                "经区人民政府同意，自2024年7月1日起，城市最低生活保障标准由每人每月780元提高到820元，"
                "农村最低生活保障标准由每人每年7200元提高到7680元。\n"
                "请各街道、乡镇做好政策宣传和资金发放工作，确保调整后的保障金按时足额发放到位。"
            ),
        },
    ],
    TOWNSHIP: [
        {
            "title": "长宁街道办事处关于2025年度城乡居民医疗保险集中参保缴费的通告",
            "subject": "医疗保障",
            "genre": "通告",
            "written_on": "2024-09-20",
            "content": (
                "2025年度城乡居民基本医疗保险集中参保缴费期为2024年9月1日至12月31日。"
                "辖区居民可通过“赣服通”、银行网点或社区便民服务站缴费，"
                "特困人员、低保对象等由政府按规定给予资助。咨询电话：0792-6630018。"
            ),
        },
    ],
}


@dataclass
class DemoLogin:
    username: str
    password: str
    agency: str
    role: str


@dataclass
class SupervisionSummary:
    """What the supervision demos added this run (all zero when loaded before)."""

    complaints: int = 0
    powers: int = 0
    applications: int = 0  # last year's history, imported for the annual reports
    reports: int = 0
    assessment_results: int = 0
    keyarea_projects: int = 0  # a procurement project with one late disclosure, a budget


@dataclass
class DemoSummary:
    agencies: AgencyImportResult
    documents: dict[str, DocumentImportResult] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    corpus: Path | None = None
    supervision: SupervisionSummary = field(default_factory=SupervisionSummary)


def find_corpus() -> Path | None:
    """The real corpus file: under ``GONGKAI_CORPUS_DIR``, else ``../shared/corpus`` next to
    the repository."""
    candidates = []
    if os.environ.get("GONGKAI_CORPUS_DIR"):
        candidates.append(Path(os.environ["GONGKAI_CORPUS_DIR"]))
    candidates.append(Path(settings.BASE_DIR).parent.parent / "shared" / "corpus")
    for directory in candidates:
        if (directory / CORPUS_FILE).is_file():
            return directory / CORPUS_FILE
    return None


def demo_password(username: str = "") -> str:
    """A fresh random password for the account ``username`` per run, unless the deployment fixes
    one in ``GONGKAI_DEMO_PASSWORD`` (for scripted demos); never a built-in default."""
    fixed = os.environ.get("GONGKAI_DEMO_PASSWORD")
    if fixed:
        return fixed
    # A few random draws lack a third character class, and now and then one shares enough
    # letters with the account's name to be "too similar" (measured: 9ihPSErrUlJ-GzUU for
    # jiangzhou-supervisor); the policy refuses both, so those are drawn again.
    user = get_user_model()(username=username)
    while True:
        candidate = secrets.token_urlsafe(12)
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


def _ensure_user(username: str, password: str, *, superuser: bool):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    user = user or User(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValueError(f"demo password refused for {username}: {' '.join(exc.messages)}") from exc
    user.is_staff = True
    user.is_superuser = superuser
    user.is_active = True
    user.set_password(password)
    user.save()
    after = {"username": username, "is_staff": True, "is_superuser": superuser}
    audit_record(actor=None, action="user_create" if created else "user_password_set", obj=user, after=after)
    return user


# --- the reference corpus, as published on Wikisource ---------------------------------------

# Wikisource's licence notes after the text ("本作品是中华人民共和国的法律…", "本作品来自…").
_CORPUS_FOOTER_RE = re.compile(r"\n\s*本作品(?:是|来自)中华人民共和国")
# A line cannot begin a paragraph with these, nor end one without these (a wiki link broke it).
_NO_PARAGRAPH_START = tuple("。，、；：！？）》」』”’%％")
_PARAGRAPH_END = tuple("。！？：；…")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\ufeff]")


def _ends_paragraph(line: str) -> bool:
    core = line.rstrip("”’」』）)")
    return line.endswith(_PARAGRAPH_END) or (core != line and core.endswith(_PARAGRAPH_END))


def clean_corpus_text(text: str) -> str:
    """A corpus text as the document reads: the licence footer dropped, zero-width spaces
    removed, and the lines that Wikisource's links broke joined again (a paragraph never
    begins with "。"); paragraphs stay separated by a blank line."""
    text = _ZERO_WIDTH_RE.sub("", _CORPUS_FOOTER_RE.split(text, maxsplit=1)[0])
    paragraphs: list[str] = []
    current = ""
    blank = True
    for raw in text.splitlines():
        line = raw.strip(" \t")
        if not line.strip():
            blank = True
            continue
        joins = current and (
            line.startswith(_NO_PARAGRAPH_START) or (not blank and not _ends_paragraph(current))
        )
        if joins:
            current += line
        else:
            if current:
                paragraphs.append(current)
            current = line
        blank = False
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def corpus_documents(path: Path) -> dict[str, list[bytes]]:
    """The corpus as import lines per agency: the work reports under the State Council, the
    NPC's resolutions approving them under the NPC. Only what the record states: the year
    (year precision) or the dated line under the title; the resolutions' year comes from the
    session named in the title."""
    by_agency: dict[str, list[bytes]] = {STATE_COUNCIL: [], NPC: []}
    for _line, record in read_jsonl(open_jsonl(path)):
        if isinstance(record, LineError):
            raise ImportFailed([record])
        row = {
            "title": record["title"],
            "content": clean_corpus_text(record["content"]),
            "url": record["url"],
            "subject": CORPUS_SUBJECT,
        }
        if record.get("year"):
            row["year"] = record["year"]
        agency = NPC if "全国人民代表大会" in record["title"] and not record.get("year") else STATE_COUNCIL
        by_agency[agency].append(json.dumps(row, ensure_ascii=False).encode())
    return by_agency


def _documents_of(agency: Agency) -> list[bytes]:
    return [json.dumps(row, ensure_ascii=False).encode() for row in DEMO_DOCUMENTS[agency.code]]


def _link_demo_documents() -> None:
    """The interpretation and the repeal the demo shows, each made once."""
    policy = Document.objects.get(agency__code=CITY, title=BUSINESS_POLICY)
    interpretation = Document.objects.get(agency__code=CITY, title=BUSINESS_INTERPRETATION)
    if not interpretation.interprets.filter(pk=policy.pk).exists():
        interpretation_link(interpretation=interpretation, policy=policy)
    old = Document.objects.get(agency__code=CITY, title=WASTE_RULES_OLD)
    new = Document.objects.get(agency__code=CITY, title=WASTE_RULES_NEW)
    if old.validity != Validity.REPEALED or old.replaced_by_id != new.pk:
        document_set_validity(document=old, validity=Validity.REPEALED, replaced_by=new)


def _logins(password_for) -> list[DemoLogin]:
    logins = []
    admin = _ensure_user(SUPERUSER, pw := password_for(SUPERUSER), superuser=True)
    logins.append(DemoLogin(admin.username, pw, "（全部机关）", "超级管理员"))
    agencies = Agency.objects.in_bulk(list(DEMO_ADMINISTRATORS), field_name="code")
    for code, username in DEMO_ADMINISTRATORS.items():
        user = _ensure_user(username, pw := password_for(username), superuser=False)
        staff_role_grant(user=user, agency=agencies[code], role=Role.ADMINISTRATOR)
        logins.append(DemoLogin(username, pw, agencies[code].name, str(Role.ADMINISTRATOR.label)))
    team = publishing_demo_load(
        education=agencies[CITY_EDUCATION],
        city=agencies[CITY],
        ensure_user=_ensure_user,
        password_for=password_for,
    )
    logins.extend(DemoLogin(*row) for row in team)
    applications_demo_load(
        education=agencies[CITY_EDUCATION], clerk_username="jy-clerk", head_username="jy-office"
    )
    casework_demo_load(
        education=agencies[CITY_EDUCATION], clerk_username="jy-clerk", head_username="jy-office",
        member_username="jy-reviewer",
    )  # fmt: skip
    return logins


def _supervision(password_for) -> tuple[list[DemoLogin], SupervisionSummary]:
    """Complaints, power lists, last year's annual reports and the assessment, in that order:
    the reports count the power lists' decisions, the assessment counts everything before it."""
    agencies = Agency.objects.in_bulk(
        [CITY, CITY_EDUCATION, CITY_ENVIRONMENT, CITY_HEALTH, CITY_HOUSING], field_name="code"
    )
    education, environment = agencies[CITY_EDUCATION], agencies[CITY_ENVIRONMENT]
    summary = SupervisionSummary()
    summary.complaints = complaints_demo_load(
        education=education, health=agencies[CITY_HEALTH], environment=environment,
        housing=agencies[CITY_HOUSING], supervisor_username=SUPERVISOR, clerk_username="jy-clerk",
    )  # fmt: skip
    summary.powers = powers_demo_load(
        education=education, environment=environment, education_admin=DEMO_ADMINISTRATORS[CITY_EDUCATION],
        environment_admin=DEMO_ADMINISTRATORS[CITY_ENVIRONMENT],
    ).created  # fmt: skip
    reports = reports_demo_load(
        education=education, environment=environment, education_admin=DEMO_ADMINISTRATORS[CITY_EDUCATION],
        environment_admin=DEMO_ADMINISTRATORS[CITY_ENVIRONMENT], education_clerk="jy-clerk",
        education_head="jy-office", ensure_user=_ensure_user, password_for=password_for,
    )  # fmt: skip
    summary.applications, summary.reports = reports.applications_imported, reports.reports_started
    summary.keyarea_projects = keyareas_demo_load(education=education, clerk_username="jy-clerk")
    summary.assessment_results = assessment_demo_load(city=agencies[CITY], supervisor_username=SUPERVISOR)
    return [DemoLogin(*row) for row in reports.logins], summary


def load_demo(
    *, corpus: Path | None = None, password_for=demo_password, say=lambda message: None
) -> DemoSummary:
    """Load (or bring up to date) the whole demo data set in one transaction; the search
    index is updated once, after the commit. Safe to run again: nothing is duplicated."""
    with transaction.atomic():
        say("Loading the demo agency directory…")
        summary = DemoSummary(agencies=import_agencies(open_jsonl(AGENCIES_FIXTURE)), corpus=corpus)
        agencies = Agency.objects.in_bulk(field_name="code")
        for point in READING_POINTS:
            reading_point_upsert(**{**point, "agencies": [agencies[c] for c in point["agencies"]]})
        if corpus is not None:
            for code, lines in corpus_documents(corpus).items():
                say(f"Importing {corpus.name} for {agencies[code].name}…")
                summary.documents[code] = import_documents(lines, agency=agencies[code])
        say("Importing the demo documents…")
        for code in DEMO_DOCUMENTS:
            try:
                summary.documents[code] = import_documents(
                    _documents_of(agencies[code]), agency=agencies[code]
                )
            except ImportFailed as exc:
                where = f"demo documents of {agencies[code].name}"
                raise ImportFailed([LineError(0, f"{where}, {error}") for error in exc.errors]) from exc
        _link_demo_documents()
        say("Creating the staff logins…")
        summary.logins = _logins(password_for)
        say("Loading complaints, power lists, last year's annual reports and the assessment…")
        logins, summary.supervision = _supervision(password_for)
        summary.logins += logins
        say("Loading consultations (one open, one concluded) and questions answered in public…")
        _participation(agencies[CITY_EDUCATION])
    return summary


def _participation(education: Agency) -> None:
    """Issue 16: consultations on draft decisions and questions answered in public, at the
    education bureau, by its publishing team (publishing.demo.TEAM)."""
    team = {"clerk": "jy-clerk", "reviewer": "jy-reviewer", "office": "jy-office", "leader": "jy-leader"}
    consultations_demo_load(education=education, usernames=team)
    questions_demo_load(education=education, clerk_username=team["clerk"])
