"""Key-area records made through the services, as staff make them."""

from dataclasses import dataclass
from datetime import date

from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.keyareas import services
from gongkai.keyareas.catalogue_file import SHIPPED
from gongkai.keyareas.models import KeyArea, Project
from gongkai.publishing.tests.factories import make_staff


def ensure_catalogue() -> None:
    """The shipped catalogue (the migration loads it; a transactional test's flush removes it)."""
    if not KeyArea.objects.exists():
        services.keyareas_import(text=SHIPPED.read_bytes(), actor=None)


@dataclass
class KeyAreaWorld:
    city: Agency
    bureau: Agency  # below the city
    clerk: object  # the bureau's clerk
    supervisor: object  # the city's supervisor: reads the bureau's records
    outsider: object  # every role in another city


def make_world() -> KeyAreaWorld:
    ensure_catalogue()
    city = make_agency("江州市人民政府")
    bureau = make_agency("江州市教育局", parent=city)
    elsewhere = make_agency("邻市人民政府")
    return KeyAreaWorld(
        city=city,
        bureau=bureau,
        clerk=make_staff(bureau, Role.CLERK),
        supervisor=make_staff(city, Role.SUPERVISOR),
        outsider=make_staff(elsewhere, Role.CLERK, Role.OFFICE_HEAD, Role.ADMINISTRATOR, Role.SUPERVISOR),
    )


def make_procurement(world: KeyAreaWorld, number: str = "JZJY-2026-001") -> Project:
    return services.project_create(
        agency=world.bureau,
        area=KeyArea.objects.get(code="procurement"),
        fields=services.ProjectFields(
            number=number, title="江州市第一中学教学设备采购项目", budget_amount=1280000
        ),
        actor=world.clerk,
    )


def stage(project: Project, code: str):
    return project.obligations.select_related("item").get(item__code=code)


def publish_doc(agency: Agency, title: str, published_on: date):
    return make_document(agency, title, published_on=published_on, written_on=published_on)
