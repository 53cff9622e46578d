"""Sanitising (净化) of every file the public can download: the file is rebuilt, not patched.

Pure functions, no database. ``sanitise_file(data, content_type)`` returns the rebuilt file and
the list of what was removed (Chinese labels, shown on the review page):

- PDF (PyMuPDF): document information and XMP metadata (document and page level), page
  thumbnails and piece information, annotations (their visible appearance baked into the
  page, their hidden contents and popups gone), form fields (flattened: the value stays as
  page text, the field goes), JavaScript, open actions and automatic actions, launch and
  script links, embedded files, optional content (hidden layers are shown: nothing stays in
  the file that a reader cannot see), content outside the crop box, bookmarks (rebuilt as
  plain titles and page numbers, without actions). The result is a full rewrite with unused
  objects collected, so no earlier revision of an incremental update survives.
- DOCX (raw zip and XML): comments and their authors, tracked changes (resolved: insertions
  accepted and deletions removed by default, or rejected), core, app and custom properties,
  the thumbnail, embedded objects and packages, altChunks, customXml and content-control
  bindings, the glossary, document variables and the attached template, hidden text
  (``w:vanish``), and pictures (unless ``keep_pictures``: images can hold personal data and
  must be looked at by a person; kept pictures are listed).
- Plain text: nothing to remove. Other kinds (XLSX, OFD) cannot be sanitised and raise
  SanitiseError.

Kept as one module on purpose (over 500 lines): each format's rebuild is an ordered sequence of
steps sharing the removal labels; the order matters and is easier to check in one place.
"""

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

import pymupdf
from django.utils.translation import gettext as _
from lxml import etree

from gongkai.core.files.redaction import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, TEXT_CONTENT_TYPE


class SanitiseError(Exception):
    """The file cannot be rebuilt; the message (Chinese) says why."""


@dataclass
class Sanitised:
    data: bytes
    removed: list[str] = field(default_factory=list)  # what went, Chinese labels
    pictures: list[str] = field(default_factory=list)  # pictures kept (to be looked at)


# ---------------------------------------------------------------- PDF


def _pdf_key(doc, xref: int, key: str) -> bool:
    kind, value = doc.xref_get_key(xref, key)
    return kind not in ("null",) and value not in ("null", "")


def sanitise_pdf(data: bytes) -> Sanitised:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        raise SanitiseError(_("PDF 文件已损坏或格式不规范，无法净化。")) from exc
    if doc.needs_pass:
        doc.close()
        raise SanitiseError(_("PDF 文件已加密，无法净化；请上传未加密的文件。"))
    removed: list[str] = []

    def note(label: str) -> None:
        if label not in removed:
            removed.append(label)

    try:
        if any(v for v in (doc.metadata or {}).values() if v and not str(v).startswith("PDF ")):
            note(_("文档信息（作者、标题等元数据）"))
        doc.set_metadata({})
        if doc.get_xml_metadata():
            note(_("XMP 元数据"))
        doc.del_xml_metadata()
        if doc.embfile_count():
            note(_("嵌入文件 %(n)d 个") % {"n": doc.embfile_count()})
            for name in list(doc.embfile_names()):
                doc.embfile_del(name)
        catalog = doc.pdf_catalog()
        for key, label in (
            ("OpenAction", _("打开时执行的动作")),
            ("AA", _("自动执行的动作（脚本）")),
            ("Names/JavaScript", _("JavaScript 脚本")),
            ("Names/EmbeddedFiles", _("嵌入文件")),
            ("OCProperties", _("可选内容（隐藏图层）")),
            ("PieceInfo", _("应用程序私有数据")),
            ("Collection", _("文件包（PDF Portfolio）")),
            ("Threads", _("文章线程")),
            ("SpiderInfo", _("网页采集信息")),
            ("Perms", _("权限签名")),
            ("Legal", _("法律证明信息")),
        ):
            if _pdf_key(doc, catalog, key):
                note(label)
                doc.xref_set_key(catalog, key, "null")
        # Form fields and annotations: what shows is baked into the page, the rest goes.
        annots = sum(1 for page in doc for a in page.annots())
        widgets = sum(1 for page in doc for w in page.widgets())
        if widgets:
            note(_("表单域 %(n)d 个（已拼合为页面内容）") % {"n": widgets})
        if annots:
            note(_("注释 %(n)d 个（含批注内容、弹出窗口、附件）") % {"n": annots})
        if annots or widgets:
            doc.bake(annots=True, widgets=True)
        if _pdf_key(doc, catalog, "AcroForm"):
            doc.xref_set_key(catalog, "AcroForm", "null")
        for page in doc:
            for annot in list(page.annots()):
                page.delete_annot(annot)
            for link in page.get_links():
                uri = str(link.get("uri") or "")
                if link.get("kind") in (pymupdf.LINK_LAUNCH, pymupdf.LINK_NAMED) or uri.lower().startswith(
                    "javascript:"
                ):
                    note(_("启动程序或脚本链接"))
                    page.delete_link(link)
            for key, label in (
                ("Metadata", _("页面级 XMP 元数据")),
                ("Thumb", _("页面缩略图")),
                ("AA", _("页面自动动作（脚本）")),
                ("PieceInfo", _("应用程序私有数据")),
            ):
                if _pdf_key(doc, page.xref, key):
                    note(label)
                    doc.xref_set_key(page.xref, key, "null")
            _pdf_remove_outside_cropbox(doc, page, note)
        if doc.xref_get_key(catalog, "PageMode")[1] in ("/UseAttachments", "/UseOC"):
            doc.xref_set_key(catalog, "PageMode", "/UseNone")
        for xref in (catalog, *(page.xref for page in doc)):
            _drop_nulls(doc, xref)
        toc = doc.get_toc(simple=True)
        if toc:
            note(_("书签（已按标题和页码重建）"))
        doc.set_toc([])
        if toc:
            doc.set_toc(toc)
        result = doc.tobytes(
            garbage=4,
            clean=True,
            deflate=True,
            encryption=pymupdf.PDF_ENCRYPT_NONE,
            preserve_metadata=0,
            no_new_id=False,
        )
    except SanitiseError:
        raise
    except Exception as exc:
        raise SanitiseError(
            _("PDF 文件格式不规范，无法净化（%(reason)s）。") % {"reason": type(exc).__name__}
        ) from exc
    finally:
        doc.close()
    if len(re.findall(rb"%%EOF", data)) > 1:
        removed.append(_("早期版本（增量更新留下的旧内容）"))
    return Sanitised(result, removed)


_NULL_ENTRY = re.compile(r"/[A-Za-z0-9_.#-]+\s*null\b")
_EMPTY_DICT_ENTRY = re.compile(r"/[A-Za-z0-9_.#-]+\s*<<\s*>>")


def _drop_nulls(doc, xref: int) -> None:
    """Entries set to null are removed from the object (and dictionaries left empty), so
    that nothing in the file even names what was taken out."""
    source = doc.xref_object(xref, compressed=True)
    cleaned = _EMPTY_DICT_ENTRY.sub("", _NULL_ENTRY.sub("", source))
    if cleaned != source:
        doc.update_object(xref, cleaned)


def _pdf_remove_outside_cropbox(doc, page, note) -> None:
    """Content outside the crop box is not shown but is in the file: it is deleted (text,
    pictures and drawings); the crop box stays as it was."""
    media, crop = page.mediabox, page.cropbox  # both with the origin at the top left
    if abs(media.width - crop.width) < 0.5 and abs(media.height - crop.height) < 0.5:
        return
    note(_("裁剪框以外的内容"))
    page.set_cropbox(media)
    full = page.rect
    for band in (
        pymupdf.Rect(full.x0, full.y0, full.x1, crop.y0),
        pymupdf.Rect(full.x0, crop.y1, full.x1, full.y1),
        pymupdf.Rect(full.x0, crop.y0, crop.x0, crop.y1),
        pymupdf.Rect(crop.x1, crop.y0, full.x1, crop.y1),
    ):
        if band.width > 0 and band.height > 0:
            page.add_redact_annot(band)
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
        graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
        text=pymupdf.PDF_REDACT_TEXT_REMOVE,
    )
    page.set_cropbox(crop)


# ---------------------------------------------------------------- DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

# Relationship types (last path segment) whose targets go, with the label of what they are.
_DROP_RELTYPES = {
    "comments": "comments",
    "commentsExtended": "comments",
    "commentsIds": "comments",
    "commentsExtensible": "comments",
    "people": "comments",
    "threadedComment": "comments",
    "person": "comments",
    "customXml": "customXml",
    "glossaryDocument": "glossary",
    "thumbnail": "thumbnail",
    "core-properties": "core",
    "extended-properties": "app",
    "custom-properties": "custom",
    "oleObject": "objects",
    "package": "objects",
    "aFChunk": "altchunk",
    "control": "objects",
    "activeXControlBinary": "objects",
    "vbaProject": "objects",
    "attachedTemplate": "template",
    "image": "pictures",
}


def _labels() -> dict[str, str]:
    return {
        "comments": _("批注及批注作者"),
        "customXml": _("自定义 XML 数据（customXml）"),
        "glossary": _("文档部件库（词汇表）"),
        "thumbnail": _("文档缩略图"),
        "core": _("核心文档属性（作者、标题、修改人等）"),
        "app": _("应用程序属性（单位、经理等）"),
        "custom": _("自定义文档属性"),
        "objects": _("嵌入对象（工作簿、文档、控件等）"),
        "altchunk": _("外部内容块（altChunk）"),
        "template": _("附加模板路径"),
        "pictures": _("图片"),
        "ins": _("修订：插入（已接受）"),
        "del": _("修订：删除（已删除）"),
        "ins_rejected": _("修订：插入（已拒绝）"),
        "del_rejected": _("修订：删除（已恢复）"),
        "format_changes": _("修订：格式更改记录"),
        "hidden": _("隐藏文字"),
        "docvars": _("文档变量"),
        "mailmerge": _("邮件合并数据源"),
        "bindings": _("内容控件数据绑定"),
        "authors": _("修订作者姓名"),
    }


_CHANGE_TAGS = {
    _W + t
    for t in (
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblPrExChange",
        "tcPrChange",
        "trPrChange",
        "tblGridChange",
        "numberingChange",
    )
}
_RANGE_MARKS = {
    _W + t
    for t in (
        "commentRangeStart",
        "commentRangeEnd",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "customXmlInsRangeStart",
        "customXmlInsRangeEnd",
        "customXmlDelRangeStart",
        "customXmlDelRangeEnd",
    )
}


def _truthy(element) -> bool:
    return element.get(_W + "val", "true").lower() not in ("0", "false", "off")


def _unwrap(element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in list(element):
        parent.insert(index, child)
        index += 1
    _remove(element)


def _remove(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _has_picture(element) -> bool:
    return any(
        isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] in ("blip", "imagedata")
        for el in element.iter()
    )


def _clean_word_xml(root, found: set[str], *, accept_changes: bool, keep_pictures: bool) -> int:
    """Resolve tracked changes, drop comment anchors, hidden text, altChunks, objects and
    pictures in one WordprocessingML part. Returns the number of pictures kept."""
    ins_tags = (_W + "ins", _W + "moveTo")
    del_tags = (_W + "del", _W + "moveFrom")
    for element in list(root.iter(*ins_tags, *del_tags)):
        parent = element.getparent()
        if parent is None:
            continue
        inserted = element.tag in ins_tags
        in_props = parent.tag in (_W + "rPr", _W + "pPr")  # a paragraph mark's revision
        if in_props:
            _remove(element)
            found.add("format_changes")
            continue
        if inserted == accept_changes:
            _unwrap(element)
        else:
            _remove(element)
        found.add(("ins" if inserted else "del") + ("" if accept_changes else "_rejected"))
    if not accept_changes:
        for el in list(root.iter(_W + "delText")):
            el.tag = _W + "t"
        for el in list(root.iter(_W + "delInstrText")):
            el.tag = _W + "instrText"
    for element in list(root.iter(*_CHANGE_TAGS)):
        _remove(element)
        found.add("format_changes")
    for element in list(root.iter(*_RANGE_MARKS)):
        _remove(element)
    for ref in list(root.iter(_W + "commentReference")):
        run = ref.getparent()
        _remove(ref)
        found.add("comments")
        if run is not None and run.tag == _W + "r" and all(c.tag == _W + "rPr" for c in run):
            _remove(run)
    for vanish in list(root.iter(_W + "vanish", _W + "specVanish")):
        rpr = vanish.getparent()
        owner = rpr.getparent() if rpr is not None else None
        if not _truthy(vanish):
            continue
        if owner is not None and owner.tag == _W + "r":
            _remove(owner)
            found.add("hidden")
        else:
            _remove(vanish)  # a paragraph mark or a style: the text itself shows
    for chunk in list(root.iter(_W + "altChunk")):
        _remove(chunk)
        found.add("altchunk")
    for obj in list(root.iter(_W + "object")):
        _remove(obj)
        found.add("objects")
    for binding in list(root.iter(_W + "dataBinding")):
        _remove(binding)
        found.add("bindings")
    kept = 0
    for picture in list(root.iter(_W + "drawing", _W + "pict")):
        if not _has_picture(picture):
            continue
        if keep_pictures:
            kept += 1
            continue
        holder = picture
        for ancestor in picture.iterancestors():
            if ancestor.tag.endswith("}AlternateContent"):
                holder = ancestor
                break
        _remove(holder)
        found.add("pictures")
    for element in root.iter():
        for name in (_W + "author", _W + "initials"):
            if element.get(name):
                element.set(name, "")
                found.add("authors")
    for tag, key in (
        (_W + "docVars", "docvars"),
        (_W + "attachedTemplate", "template"),
        (_W + "mailMerge", "mailmerge"),
    ):
        for element in list(root.iter(tag)):
            _remove(element)
            found.add(key)
    for element in list(root.iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}externalData")):
        _remove(element)
    return kept


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _source_of(rels_name: str) -> str:
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def sanitise_docx(data: bytes, *, accept_changes: bool = True, keep_pictures: bool = False) -> Sanitised:
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        entries = {info.filename: zin.read(info) for info in zin.infolist() if not info.is_dir()}
    except Exception as exc:
        raise SanitiseError(_("Word 文档（DOCX）已损坏，无法净化。")) from exc
    found: set[str] = set()
    drop: set[str] = set()
    # Parts to drop, by the type of the relationship that points at them.
    rels_trees = {}
    for name, raw in entries.items():
        if not name.endswith(".rels"):
            continue
        try:
            tree = etree.fromstring(raw, _XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise SanitiseError(_("Word 文档（DOCX）的关系文件损坏，无法净化。")) from exc
        rels_trees[name] = tree
        base = posixpath.dirname(_source_of(name))
        for rel in list(tree):
            reltype = (rel.get("Type") or "").rsplit("/", 1)[-1]
            key = _DROP_RELTYPES.get(reltype)
            if key is None or (key == "pictures" and keep_pictures):
                continue
            if rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(base, target))
                )
                drop.add(path)
            tree.remove(rel)
            found.add(key)
    for name in entries:
        lower = name.lower()
        for prefix, key in (
            ("customxml/", "customXml"),
            ("docprops/", "core"),
            ("word/embeddings/", "objects"),
            ("word/activex/", "objects"),
            ("word/glossary/", "glossary"),
        ):
            if lower.startswith(prefix):
                drop.add(name)
                if key == "core" and "thumbnail" in lower:
                    found.add("thumbnail")
        if not keep_pictures and lower.startswith("word/media/"):
            drop.add(name)
            found.add("pictures")
    drop |= {_rels_path(name) for name in drop}
    # Relationships pointing at dropped parts go too.
    for name, tree in rels_trees.items():
        base = posixpath.dirname(_source_of(name))
        for rel in list(tree):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(base, target))
            )
            if path in drop:
                tree.remove(rel)
    pictures_kept = 0
    out_entries: dict[str, bytes] = {}
    for name, raw in entries.items():
        if name in drop:
            continue
        if name in rels_trees:
            out_entries[name] = etree.tostring(
                rels_trees[name], xml_declaration=True, encoding="UTF-8", standalone=True
            )
            continue
        if name == "[Content_Types].xml":
            out_entries[name] = raw  # fixed below, once the final list of parts is known
            continue
        if name.startswith("word/") and name.endswith(".xml"):
            try:
                root = etree.fromstring(raw, _XML_PARSER)
            except etree.XMLSyntaxError as exc:
                raise SanitiseError(_("Word 文档（DOCX）的内容部件损坏，无法净化。")) from exc
            pictures_kept += _clean_word_xml(
                root, found, accept_changes=accept_changes, keep_pictures=keep_pictures
            )
            raw = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out_entries[name] = raw
    if "[Content_Types].xml" in out_entries:
        types = etree.fromstring(out_entries["[Content_Types].xml"], _XML_PARSER)
        for override in list(types):
            if override.get("PartName", "").lstrip("/") in drop:
                types.remove(override)
        out_entries["[Content_Types].xml"] = etree.tostring(
            types, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        # [Content_Types].xml first, as Word writes it.
        for name in sorted(out_entries, key=lambda n: n != "[Content_Types].xml"):
            zout.writestr(name, out_entries[name])
    labels = _labels()
    order = list(labels)
    removed = [labels[key] for key in sorted(found, key=order.index)]
    pictures = (
        [_("图片 %(n)d 张（已保留，须人工确认不含个人信息）") % {"n": pictures_kept}] if pictures_kept else []
    )
    return Sanitised(out.getvalue(), removed, pictures)


# ---------------------------------------------------------------- OFD

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFD_CONTENT_TYPE = "application/ofd"
# Document.xml children that point at annotations, attachments and custom tags (GB/T 33190).
_OFD_DROP_REFS = {
    "Annotations": "annotations",
    "Attachments": "attachments",
    "CustomTags": "tags",
    "Extensions": "tags",
}
# DocInfo children kept: identifiers and dates; the rest (author, title, keywords…) go.
_OFD_INFO_KEEP = {"DocID", "CreationDate", "ModDate", "DocUsage", "CreatorVersion"}


def sanitise_ofd(data: bytes) -> Sanitised:
    """An OFD package without document information (author, title, keywords, custom data),
    annotations, attachments, custom tags and extensions."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        entries = {info.filename: zin.read(info) for info in zin.infolist() if not info.is_dir()}
    except Exception as exc:
        raise SanitiseError(_("OFD 文件已损坏，无法净化。")) from exc
    labels = {
        "info": _("文档信息（作者、标题、关键词等）"),
        "annotations": _("注释"),
        "attachments": _("附件（嵌入文件）"),
        "tags": _("自定义标引和扩展信息"),
    }
    found: set[str] = set()
    drop: set[str] = set()
    out_entries = {}
    for name, raw in entries.items():
        if not name.lower().endswith(".xml"):
            out_entries[name] = raw
            continue
        try:
            root = etree.fromstring(raw, _XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise SanitiseError(_("OFD 文件的内容部件损坏，无法净化。")) from exc
        changed = False
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            local = element.tag.rsplit("}", 1)[-1]
            parent = element.getparent()
            parent_local = parent.tag.rsplit("}", 1)[-1] if parent is not None else ""
            if parent_local == "DocInfo" and local not in _OFD_INFO_KEEP:
                _remove(element)
                found.add("info")
                changed = True
            elif local in _OFD_DROP_REFS and parent_local == "Document":
                if element.text and element.text.strip():
                    loc = element.text.strip().replace("\\", "/")
                    base = posixpath.dirname(name)
                    drop.add(
                        loc.lstrip("/")
                        if loc.startswith("/")
                        else posixpath.normpath(posixpath.join(base, loc))
                    )
                _remove(element)
                found.add(_OFD_DROP_REFS[local])
                changed = True
        out_entries[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8") if changed else raw
    # The parts those lists named, and everything in their folders (annotation pages, files).
    folders = {
        posixpath.dirname(path) + "/"
        for path in drop
        if posixpath.basename(posixpath.dirname(path)).lower() in ("annots", "attachs", "tags", "extends")
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, raw in out_entries.items():
            if name in drop or any(name.startswith(f) for f in folders):
                continue
            zout.writestr(name, raw)
    return Sanitised(out.getvalue(), [labels[k] for k in labels if k in found])


# ---------------------------------------------------------------- dispatch


def sanitise_file(
    data: bytes, content_type: str, *, accept_changes: bool = True, keep_pictures: bool = False
) -> Sanitised:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind == PDF_CONTENT_TYPE:
        return sanitise_pdf(data)
    if kind == DOCX_CONTENT_TYPE:
        return sanitise_docx(data, accept_changes=accept_changes, keep_pictures=keep_pictures)
    if kind == XLSX_CONTENT_TYPE:
        # The same package rules: comments, properties, customXml, embeddings, pictures.
        return sanitise_docx(data, accept_changes=accept_changes, keep_pictures=keep_pictures)
    if kind == OFD_CONTENT_TYPE:
        return sanitise_ofd(data)
    if kind == TEXT_CONTENT_TYPE:
        return Sanitised(data, [])
    raise SanitiseError(
        _("此类型的文件（%(type)s）无法净化后公开；请转换为 PDF、DOCX 或纯文本文件后重新上传。")
        % {"type": kind or _("未知类型")}
    )
