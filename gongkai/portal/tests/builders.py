"""Test data for the portal, made through the factories and the services as users make it."""

from datetime import date

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.agencies.services import AgencyData, OfficeData, RemedyData, agency_upsert, reading_point_upsert
from gongkai.agencies.tests.remedies import REMEDIES
from gongkai.catalogue.models import DisclosureAttribute, Document, Genre, Subject, Visibility
from gongkai.catalogue.services import DocumentFields, document_create
from gongkai.catalogue.tests.factories import make_agency_code, make_document, publish_imported

OFFICE = OfficeData(
    name="江川市人民政府办公室政务公开科",
    address="江川市人民路1号",
    hours="工作日 9:00—17:00",
    phone="0791-1234567",
    fax="0791-1234568",
    email="gk@jiangchuan.example.cn",
    postcode="330000",
)


def agency(
    name: str = "江川市人民政府",
    *,
    level: str = AgencyLevel.CITY,
    parent: Agency | None = None,
    office: OfficeData | None = OFFICE,
    short_name: str = "",
    remedies: RemedyData | None = None,
) -> Agency:
    data = AgencyData(
        code=make_agency_code(),
        name=name,
        level=level,
        short_name=short_name,
        parent_code=parent.code if parent else None,
        office=office,
        remedies=remedies or RemedyData(**REMEDIES),
    )
    created, _state = agency_upsert(data=data)
    return created


def subject(name: str, parent: Subject | None = None) -> Subject:
    return Subject.objects.get_or_create(name=name, parent=parent)[0]


def genre(name: str) -> Genre:
    return Genre.objects.get_or_create(name=name)[0]


def document(
    owner: Agency,
    title: str = "关于测试的通知",
    body: str = "正文",
    *,
    published_on: date | None = None,
    **fields,
):
    """A published document; ``published_on`` defaults to today."""
    if published_on is None:
        return make_document(owner, title, body, **fields)
    fields.setdefault("written_on", published_on)
    draft = document_create(agency=owner, fields=DocumentFields(title=title, body=body, **fields))
    return publish_imported(draft, published_on=published_on)


def reading_point(owner: Agency, name: str = "江川市图书馆", **fields):
    fields.setdefault("kind", "library")
    return reading_point_upsert(name=name, agencies=[owner], **fields)[0]


def city_with_documents() -> dict:
    """A city government with a department, a district and a township, and documents with
    subjects and genres in two years: enough for facets, the tree and the guide."""
    city = agency("江川市人民政府", short_name="江川市政府")
    education = agency("江川市教育局", level=AgencyLevel.DEPARTMENT, parent=city, short_name="市教育局")
    district = agency("江川市东湖区人民政府", level=AgencyLevel.COUNTY, parent=city, short_name="东湖区政府")
    township = agency("东湖区城关街道办事处", level=AgencyLevel.TOWNSHIP, parent=district)
    building = subject("城乡建设、环境保护")
    housing = subject("住房保障", parent=building)
    schooling = subject("科技、教育")
    notice, opinion = genre("通知"), genre("意见")
    docs = {
        "housing": document(
            city,
            "江川市人民政府关于加快发展保障性租赁住房的实施意见",
            "为加快发展保障性租赁住房，现提出以下意见。\n一、总体要求\n坚持房子是用来住的、不是用来炒的定位。",
            subject_id=housing.pk,
            genre_id=opinion.pk,
            doc_no="江府发〔2023〕5号",
            written_on=date(2023, 6, 1),
        ),
        "green": document(
            city,
            "江川市人民政府办公室关于印发江川市城市绿化管理办法的通知",
            "各区人民政府，市政府各部门：现将《江川市城市绿化管理办法》印发给你们，请认真贯彻执行。",
            subject_id=building.pk,
            genre_id=notice.pk,
            doc_no="江府办发〔2024〕12号",
            written_on=date(2024, 3, 1),
        ),
        "school": document(
            city,
            "江川市人民政府关于推进义务教育优质均衡发展的通知",
            "推进义务教育优质均衡发展，办好人民满意的教育。",
            subject_id=schooling.pk,
            genre_id=notice.pk,
            written_on=date(2024, 5, 10),
        ),
        "education": document(
            education,
            "江川市教育局关于做好2024年义务教育招生工作的通知",
            "做好义务教育招生入学工作。",
            subject_id=schooling.pk,
            genre_id=notice.pk,
            written_on=date(2024, 4, 2),
        ),
    }
    return {"city": city, "education": education, "district": district, "township": township, "docs": docs}


def withdraw(doc) -> None:
    """Take a published document out of the public catalogue. The catalogue has no withdrawal
    service yet, so the state is set as the publishing workflow will set it."""
    Document.objects.filter(pk=doc.pk).update(visibility=Visibility.WITHDRAWN)


def mark_on_application(doc) -> None:
    """Make a document 依申请公开 (only in the internal catalogue); DocumentFields has no
    disclosure attribute yet."""
    Document.objects.filter(pk=doc.pk).update(disclosure_attribute=DisclosureAttribute.ON_APPLICATION)
