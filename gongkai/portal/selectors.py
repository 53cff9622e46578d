"""What the public portal reads: only public documents and active agencies, fetched with
the joins each page needs so that no page issues a query per row."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.catalogue.models import Attachment, Document

GOVERNMENT_LEVELS = (AgencyLevel.PROVINCE, AgencyLevel.CITY, AgencyLevel.COUNTY, AgencyLevel.TOWNSHIP)


def latest_documents(*, limit: int = 10, agency: Agency | None = None) -> list[Document]:
    """The most recently published public documents, newest first."""
    qs = Document.objects.public().select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return list(qs.order_by("-published_on", "-id")[:limit])


def public_document_get(*, index_no: str) -> Document:
    """A public document with everything its page shows; Http404 for anything not public
    (internal, on application, withdrawn), without saying which."""
    public_links = Document.objects.public().select_related("agency").order_by("-published_on", "-id")
    qs = (
        Document.objects.public()
        .select_related("agency", "subject__parent", "genre", "replaced_by", "clarifies")
        .prefetch_related(
            "attachments",
            Prefetch("replaces", queryset=public_links, to_attr="public_replaces"),
            Prefetch("interpretations", queryset=public_links, to_attr="public_interpretations"),
            Prefetch("interprets", queryset=public_links, to_attr="public_interprets"),
            Prefetch("clarifications", queryset=public_links, to_attr="public_clarifications"),
        )
    )
    doc = qs.filter(index_no=index_no).first()
    if doc is None:
        raise Http404
    doc.issuer_list = doc.issuer_agencies() if doc.issuers else []
    # The replacing document came with the join; link it only when it is public too.
    replacement = doc.replaced_by
    doc.public_replaced_by = replacement if replacement is not None and replacement.is_public else None
    clarified = doc.clarifies
    doc.public_clarifies = clarified if clarified is not None and clarified.is_public else None
    return doc


def public_attachment_get(*, pk: int) -> Attachment:
    """An attachment of a public document; Http404 otherwise."""
    att = Attachment.objects.filter(pk=pk, document__in=Document.objects.public()).first()
    if att is None:
        raise Http404
    return att


def public_agency_get(*, code: str) -> Agency:
    """An active agency with its office; Http404 otherwise."""
    agency = (
        Agency.objects.active()
        .select_related("office", "parent", "competent_authority")
        .filter(code=code)
        .first()
    )
    if agency is None:
        raise Http404
    return agency


def agency_children(agency: Agency) -> tuple[list[Agency], list[Agency]]:
    """The agency's active children split into (departments and institutions, lower governments)."""
    children = list(agency.children.active().select_related("office").order_by("sort_order", "id"))
    departments = [a for a in children if a.level not in GOVERNMENT_LEVELS]
    governments = [a for a in children if a.level in GOVERNMENT_LEVELS]
    return departments, governments


@dataclass
class AgencyNode:
    """One agency in the directory tree; departments are listed before lower governments,
    which is how a government's directory reads (government → departments → districts)."""

    agency: "Agency | DirectoryAgency"  # directory_entry_points: models; agency_tree: plain rows
    departments: list["AgencyNode"] = field(default_factory=list)
    governments: list["AgencyNode"] = field(default_factory=list)

    @property
    def children(self) -> list["AgencyNode"]:
        return self.departments + self.governments


@dataclass(slots=True)
class DirectoryOffice:
    name: str
    phone: str
    address: str


@dataclass(slots=True)
class DirectoryAgency:
    """What the directory shows of an agency, read as plain values: building 5,000 model
    instances was most of the directory's query time at the size of a province."""

    pk: int
    code: str
    name: str
    level: str
    parent_id: int | None
    office: DirectoryOffice | None

    def get_level_display(self) -> str:
        return str(AgencyLevel(self.level).label) if self.level in AgencyLevel.values else self.level


def agency_tree() -> list[AgencyNode]:
    """Every active agency as a forest, in one query. An agency whose parent is inactive is
    shown at the top level rather than lost."""
    rows = (
        Agency.objects.active()
        .order_by("sort_order", "id")
        .values_list(
            "pk", "code", "name", "level", "parent_id", "office__name", "office__phone", "office__address"
        )
    )
    agencies = [
        DirectoryAgency(
            pk, code, name, level, parent_id, DirectoryOffice(o_name, o_phone or "", o_address or "")
        )
        if o_name is not None
        else DirectoryAgency(pk, code, name, level, parent_id, None)
        for pk, code, name, level, parent_id, o_name, o_phone, o_address in rows
    ]
    nodes = {a.pk: AgencyNode(agency=a) for a in agencies}
    roots = []
    for a in agencies:
        parent = nodes.get(a.parent_id)
        node = nodes[a.pk]
        if parent is None:
            roots.append(node)
        elif a.level in GOVERNMENT_LEVELS:
            parent.governments.append(node)
        else:
            parent.departments.append(node)
    return roots


def directory_entry_points(*, limit: int = 12) -> list[AgencyNode]:
    """The top-level agencies with their direct children: the home page's way into the directory."""
    roots = list(
        Agency.objects.active()
        .filter(parent__isnull=True)
        .order_by("sort_order", "id")
        .prefetch_related(
            Prefetch("children", queryset=Agency.objects.active().order_by("sort_order", "id"))
        )[:limit]
    )
    out = []
    for root in roots:
        node = AgencyNode(agency=root)
        for child in root.children.all():
            target = node.governments if child.level in GOVERNMENT_LEVELS else node.departments
            target.append(AgencyNode(agency=child))
        out.append(node)
    return out
