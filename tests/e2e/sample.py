"""A demo-like data set for the browser tests and the portal screenshot: a city government
with departments, a district and a township, offices, reading points, documents of several
subjects, genres and years, an attachment, an interpretation and a repealed rule. Made through
the services, as an administrator would."""

from datetime import date, timedelta

from django.utils import timezone

from gongkai.agencies.models import AgencyLevel
from gongkai.agencies.services import OfficeData
from gongkai.catalogue.attachments import attachment_add
from gongkai.catalogue.models import Validity
from gongkai.catalogue.services import document_set_validity, interpretation_link
from gongkai.portal.tests import builders

ATTACHMENT_NAME = "2024年保障性租赁住房项目清单.txt"
ATTACHMENT_BYTES = "序号\t项目名称\t房源（套）\n1\t东湖安居苑\t1200\n2\t西山人才公寓\t860\n".encode()


def _office(name: str, phone: str) -> OfficeData:
    return OfficeData(
        name=name,
        address="江川市人民路1号市民中心",
        hours="工作日 上午9:00—12:00，下午13:30—17:00",
        phone=phone,
        fax="0791-86001002",
        email="zwgk@jiangchuan.example.cn",
        postcode="330000",
    )


def build_sample() -> dict:
    today = timezone.localdate()
    city = builders.agency(
        "江川市人民政府",
        short_name="江川市政府",
        office=_office("江川市人民政府办公室政务公开科", "0791-86001001"),
    )
    departments = [
        builders.agency(
            name, level=AgencyLevel.DEPARTMENT, parent=city, short_name=short, office=_office(office, phone)
        )
        for name, short, office, phone in (
            ("江川市发展和改革委员会", "市发展改革委", "江川市发展和改革委员会办公室", "0791-86002001"),
            ("江川市教育局", "市教育局", "江川市教育局办公室", "0791-86003001"),
            ("江川市财政局", "市财政局", "江川市财政局办公室", "0791-86004001"),
            ("江川市生态环境局", "市生态环境局", "江川市生态环境局办公室", "0791-86005001"),
        )
    ]
    district = builders.agency(
        "江川市东湖区人民政府",
        level=AgencyLevel.COUNTY,
        parent=city,
        short_name="东湖区政府",
        office=_office("东湖区人民政府办公室", "0791-86101001"),
    )
    builders.agency(
        "东湖区城关街道办事处", level=AgencyLevel.TOWNSHIP, parent=district, short_name="城关街道"
    )
    builders.reading_point(
        city, "江川市档案馆", kind="archive", address="江川市文化路9号", hours="周二至周六 9:00—17:00"
    )
    builders.reading_point(
        city, "江川市图书馆", kind="library", address="江川市滨江大道66号", hours="每日 9:00—21:00"
    )

    building, economy = builders.subject("城乡建设、环境保护"), builders.subject("国民经济管理、国有资产监管")
    housing = builders.subject("住房保障", parent=building)
    schooling, finance = builders.subject("科技、教育"), builders.subject("财政、金融、审计")
    notice, opinion, rule, report = (builders.genre(n) for n in ("通知", "意见", "规范性文件", "工作动态"))

    def doc(owner, title, body, days_ago, **fields):
        return builders.document(owner, title, body, published_on=today - timedelta(days=days_ago), **fields)

    housing_policy = doc(
        city,
        "江川市人民政府关于加快发展保障性租赁住房的实施意见",
        "各区人民政府，市政府各部门：\n为加快发展保障性租赁住房，缓解新市民、青年人住房困难，结合本市实际，提出以下意见。\n"
        "一、总体要求\n坚持房子是用来住的、不是用来炒的定位，以人口净流入的区域为重点，扩大保障性租赁住房供给。\n"
        "二、主要任务\n（一）利用集体经营性建设用地建设保障性租赁住房。\n（二）利用企事业单位自有闲置土地建设保障性租赁住房。",
        1,
        subject_id=housing.pk,
        genre_id=opinion.pk,
        doc_no="江府发〔2024〕8号",
        written_on=today - timedelta(days=5),
        summary="明确保障性租赁住房的总体要求、主要任务和支持政策。",
    )
    attachment_add(
        document=housing_policy,
        data=ATTACHMENT_BYTES,
        filename=ATTACHMENT_NAME,
        title="保障性租赁住房项目清单",
    )
    interpretation = doc(
        city,
        "《关于加快发展保障性租赁住房的实施意见》政策解读",
        "一、出台背景\n为贯彻落实国家关于加快发展保障性租赁住房的部署，制定本实施意见。\n二、主要内容\n实施意见共五个部分。",
        1,
        subject_id=housing.pk,
        genre_id=report.pk,
        written_on=today - timedelta(days=4),
    )
    interpretation_link(interpretation=interpretation, policy=housing_policy)
    old_rule = doc(
        city,
        "江川市城市生活垃圾分类管理办法（2019年）",
        "第一条 为加强生活垃圾分类管理，制定本办法。",
        400,
        subject_id=building.pk,
        genre_id=rule.pk,
        doc_no="江府办发〔2019〕21号",
        written_on=date(2019, 6, 1),
    )
    new_rule = doc(
        city,
        "江川市城市生活垃圾分类管理办法",
        "第一条 为推进生活垃圾分类，改善人居环境，根据有关法律法规，结合本市实际，制定本办法。",
        3,
        subject_id=building.pk,
        genre_id=rule.pk,
        doc_no="江府办发〔2024〕3号",
        written_on=today - timedelta(days=20),
    )
    document_set_validity(document=old_rule, validity=Validity.REPEALED, replaced_by=new_rule)
    others = [
        (
            departments[1],
            "江川市教育局关于做好2024年义务教育招生入学工作的通知",
            "做好义务教育招生入学工作，确保适龄儿童少年依法入学。",
            2,
            schooling,
            notice,
        ),
        (
            departments[0],
            "江川市2024年国民经济和社会发展计划执行情况",
            "全市经济运行总体平稳、稳中有进。",
            5,
            economy,
            report,
        ),
        (
            departments[2],
            "江川市2024年市级部门预算公开说明",
            "按照预算法要求，公开市级部门预算。",
            6,
            finance,
            notice,
        ),
        (
            departments[3],
            "江川市生态环境局关于开展2024年大气污染防治攻坚行动的通知",
            "开展大气污染防治攻坚行动，持续改善空气质量。",
            8,
            building,
            notice,
        ),
        (
            city,
            "江川市人民政府关于推进义务教育优质均衡发展的意见",
            "推进义务教育优质均衡发展，办好人民满意的教育。",
            9,
            schooling,
            opinion,
        ),
        (
            district,
            "东湖区2024年重点民生实事项目公示",
            "东湖区2024年重点民生实事项目共十项。",
            10,
            economy,
            report,
        ),
        (
            city,
            "江川市人民政府办公室关于印发江川市城市绿化管理办法的通知",
            "现将《江川市城市绿化管理办法》印发给你们，请认真贯彻执行。",
            12,
            building,
            notice,
        ),
    ]
    for owner, title, body, days_ago, subj, gen in others:
        doc(
            owner,
            title,
            body,
            days_ago,
            subject_id=subj.pk,
            genre_id=gen.pk,
            written_on=today - timedelta(days=days_ago + 3),
        )
    return {"city": city, "district": district, "policy": housing_policy, "interpretation": interpretation}
