"""Back office for the catalogue: taxonomies, and documents edited through catalogue.services
(so that every save is audited and reaches the search index) with attachments through
catalogue.attachments."""

import dataclasses

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Agency
from gongkai.core.admin import AuditedModelAdmin

from .attachments import AttachmentError, attachment_add_inspected, attachment_remove, upload_inspect
from .derive import canonical_doc_no
from .index_numbers import Scheme
from .models import Attachment, Document, DocumentImport, Genre, IndexNumberScheme, Subject, Validity
from .services import (
    DocumentFields,
    document_create,
    document_set_validity,
    document_update,
    is_locked,
)

# ---------------------------------------------------------------- taxonomies


class SubjectLevelFilter(admin.SimpleListFilter):
    title = _("层级")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("top", _("一级分类")), ("second", _("二级分类"))]

    def queryset(self, request, queryset):
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "second":
            return queryset.filter(parent__isnull=False)
        return queryset


class SubjectAdminForm(forms.ModelForm):
    class Meta:
        model = Subject
        fields = ("name", "parent", "agency", "sort_order")

    def clean(self):
        cleaned = super().clean()
        parent, name = cleaned.get("parent"), cleaned.get("name")
        instance = self.instance
        if parent is not None:
            if parent.parent_id or parent.pk == instance.pk:
                self.add_error("parent", _("主题分类只有两级：上级分类必须是其他一级分类。"))
            elif instance.pk and instance.children.exists():
                self.add_error("parent", _("该分类下还有二级分类，不能再设上级分类。"))
        elif name and Subject.objects.filter(parent__isnull=True, name=name).exclude(pk=instance.pk).exists():
            # The database's unique (parent, name) does not cover top-level rows (NULL parent).
            self.add_error("name", _("已有同名的一级分类。"))
        return cleaned


class SubjectChildInline(admin.TabularInline):
    model = Subject
    fk_name = "parent"
    fields = ("name", "agency", "sort_order")
    autocomplete_fields = ("agency",)
    extra = 0
    verbose_name = _("二级分类")
    verbose_name_plural = _("二级分类")


@admin.register(Subject)
class SubjectAdmin(AuditedModelAdmin):
    form = SubjectAdminForm
    list_display = ("name", "parent", "agency", "sort_order")
    list_filter = (SubjectLevelFilter,)
    list_select_related = ("parent", "agency")
    search_fields = ("name", "parent__name")
    autocomplete_fields = ("agency",)

    def get_inlines(self, request, obj):
        return [SubjectChildInline] if obj is None or obj.parent_id is None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Subject.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Genre)
class GenreAdmin(AuditedModelAdmin):
    list_display = ("name", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("name",)


# ---------------------------------------------------------------- documents


class AttachmentInline(admin.TabularInline):
    """Attachments are listed read-only; new ones come through the upload field of the form
    (attachment_add), deletions go through attachment_remove (DocumentAdmin.save_formset)."""

    model = Attachment
    extra = 0
    fields = ("title", "original_name", "size_display", "content_type", "sha256")
    readonly_fields = fields

    @admin.display(description=_("大小"))
    def size_display(self, obj):
        return filesizeformat(obj.size)

    def has_add_permission(self, request, obj=None):
        return False


class TopSubjectFilter(admin.SimpleListFilter):
    title = _("主题分类")
    parameter_name = "subject"

    def lookups(self, request, model_admin):
        return [(str(s.pk), s.name) for s in Subject.objects.filter(parent__isnull=True)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(subject_id=self.value()) | Q(subject__parent_id=self.value()))
        return queryset


class DocumentAdminForm(forms.ModelForm):
    new_attachment = forms.FileField(
        label=_("上传附件"),
        required=False,
        help_text=_("PDF、Word、Excel、OFD、图片或纯文本；文字会被提取用于全文检索。"),
    )
    source_url = forms.URLField(
        label=Document._meta.get_field("source_url").verbose_name,
        required=False,
        max_length=1000,
        assume_scheme="https",
    )
    new_attachment_title = forms.CharField(
        label=_("附件名称"), required=False, max_length=300, help_text=_("留空则使用文件名。")
    )

    class Meta:
        model = Document
        fields = (
            "agency",
            "title",
            "doc_no",
            "normative_no",
            "issuers",
            "written_on",
            "written_on_precision",
            "subject",
            "genre",
            "validity",
            "replaced_by",
            "effective_on",
            "expires_on",
            "summary",
            "keywords",
            "body",
            "source_url",
        )

    inspected_upload = None

    def clean_new_attachment(self):
        upload = self.cleaned_data.get("new_attachment")
        if upload:
            try:
                self.inspected_upload = upload_inspect(data=upload, filename=upload.name)
            except AttachmentError as exc:
                raise forms.ValidationError(str(exc)) from exc
            if (
                self.instance.pk
                and self.instance.attachments.filter(sha256=self.inspected_upload.sha256).exists()
            ):
                raise forms.ValidationError(_("该文件已是本文件的附件。"))
        return upload

    def clean_doc_no(self):
        # Stored normalised to 〔〕 (display and search); the original as typed is kept.
        typed = " ".join(self.cleaned_data.get("doc_no", "").split())
        canonical = canonical_doc_no(typed)
        self.doc_no_original = typed if typed != canonical else ""
        return canonical

    def clean_issuers(self):
        codes = self.cleaned_data.get("issuers") or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise forms.ValidationError(_('请填写机构代码列表，牵头机关在前，如 ["000014349"]。'))
        known = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(_("机构目录中没有：%(codes)s") % {"codes": "、".join(unknown)})
        if len(set(codes)) != len(codes):
            raise forms.ValidationError(_("同一机关不能重复填写。"))
        return codes

    def clean(self):
        cleaned = super().clean()
        replaced_by, validity = cleaned.get("replaced_by"), cleaned.get("validity")
        if replaced_by is not None:
            if validity not in (Validity.REPEALED, Validity.AMENDED):
                self.add_error("replaced_by", _("只有“废止”或“已修改”的文件才能指定废止或修改它的文件。"))
            elif self.instance.pk and replaced_by.pk == self.instance.pk:
                self.add_error("replaced_by", _("文件不能废止或修改自身。"))
        return cleaned


def _document_fields(
    cleaned: dict, current: Document | None, validity: str, form_state=None
) -> DocumentFields:
    """DocumentFields from the admin form; fields the form does not show keep their value."""
    values = {}
    for field in dataclasses.fields(DocumentFields):
        form_name = field.name.removesuffix("_id")
        if form_name in cleaned:
            value = cleaned[form_name]
            values[field.name] = value.pk if field.name.endswith("_id") and value is not None else value
        elif current is not None:
            values[field.name] = getattr(current, field.name)
    values["validity"] = validity
    if "doc_no" in cleaned:
        values["doc_no_original"] = getattr(form_state, "doc_no_original", "")
    return DocumentFields(**values)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Saves go through catalogue.services (audit + search index); documents are never deleted
    here: the catalogue keeps every index number (withdrawal is a visibility, not a delete).

    Nothing is published here: a document becomes public only through the review chain
    (workbench) or an import (`gongkai import-documents`), and one that is or was public, or
    was imported, is shown read-only (changes to it go through a review submission)."""

    form = DocumentAdminForm
    list_display = ("index_no", "title", "agency", "written_on", "published_on", "validity", "visibility")
    list_display_links = ("index_no", "title")
    list_filter = (
        "visibility",
        "validity",
        TopSubjectFilter,
        "genre",
        ("agency", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("agency",)
    search_fields = ("title", "doc_no", "doc_no_original", "normative_no", "index_no")
    autocomplete_fields = ("agency", "replaced_by")
    readonly_fields = (
        "index_no",
        "doc_no_original",
        "published_on",
        "published_on_precision",
        "visibility",
        "disclosure_attribute",
        "imported_from",
        "created_at",
        "updated_at",
    )
    inlines = (AttachmentInline,)
    # No bulk validity actions: a published document changes validity through a review
    # submission like any other change the public sees (docs/publishing.md).
    actions = None
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "agency",
                    "title",
                    "doc_no",
                    "doc_no_original",
                    "normative_no",
                    "issuers",
                    "written_on",
                    "written_on_precision",
                )
            },
        ),
        (
            _("分类与有效性"),
            {"fields": ("subject", "genre", "validity", "replaced_by", "effective_on", "expires_on")},
        ),
        (_("内容"), {"fields": ("summary", "keywords", "body", "source_url")}),
        (_("上传附件"), {"fields": ("new_attachment", "new_attachment_title")}),
        (
            _("公开状态"),
            {
                "fields": (
                    "index_no",
                    "published_on",
                    "published_on_precision",
                    "visibility",
                    "disclosure_attribute",
                    "imported_from",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(agency__in=agencies_in_scope(request.user))

    def get_readonly_fields(self, request, obj=None):
        # A document's publishing agency is fixed at creation (its index number carries it).
        return self.readonly_fields + (("agency",) if obj is not None else ())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "subject":
            kwargs["queryset"] = Subject.objects.select_related("parent")
        elif db_field.name == "agency" and not request.user.is_superuser:
            kwargs["queryset"] = agencies_in_scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Published, withdrawn or imported documents open read-only (services refuse too).
        if obj is not None and is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        cleaned = form.cleaned_data
        if change:
            current = Document.objects.get(pk=obj.pk)
            fields = _document_fields(cleaned, current, validity=current.validity, form_state=form)
            document = document_update(document=current, fields=fields, actor=request.user)
        else:
            fields = _document_fields(cleaned, None, validity=Validity.IN_FORCE, form_state=form)
            document = document_create(agency=cleaned["agency"], fields=fields, actor=request.user)
        validity = cleaned.get("validity", document.validity)
        replaced_by = cleaned.get("replaced_by", document.replaced_by)
        if validity != document.validity or replaced_by != document.replaced_by:
            document = document_set_validity(
                document=document, validity=validity, replaced_by=replaced_by, actor=request.user
            )
        if form.inspected_upload is not None:
            attachment_add_inspected(
                document=document,
                upload=form.inspected_upload,
                title=cleaned.get("new_attachment_title", ""),
                actor=request.user,
            )
        # The admin goes on with ``obj`` (related saves, log entry, redirect): make it the row.
        obj.pk = document.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is Attachment:
            # The admin's change message reads these lists, which formset.save() would fill.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for deleted in formset.deleted_forms:
                if deleted.instance.pk:
                    formset.deleted_objects.append(deleted.instance)
                    attachment_remove(attachment=deleted.instance, actor=request.user)
            return
        super().save_formset(request, form, formset, change)


@admin.register(DocumentImport)
class DocumentImportAdmin(admin.ModelAdmin):
    """Read-only: who imported which file when (the import is the one way into the public
    catalogue besides the review chain; docs/security.md, section 1)."""

    list_display = ("imported_at", "agency", "imported_by_label", "file_name", "sha256")
    list_select_related = ("agency",)
    search_fields = ("file_name", "sha256", "imported_by_label")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(agency__in=agencies_in_scope(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndexNumberScheme)
class IndexNumberSchemeAdmin(AuditedModelAdmin):
    """Each agency's own index-number format (catalogue.md: the format is configurable per
    agency); numbers already published keep theirs, new ones follow this format."""

    list_display = ("agency", "pattern", "region", "prefix", "example")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)

    @admin.display(description=_("示例"))
    def example(self, obj: IndexNumberScheme) -> str:
        scheme = Scheme(obj.pattern, code=obj.agency.code, region=obj.region, prefix=obj.prefix)
        return scheme.format(year=2024, month=1, seq=1)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(agency__in=agencies_in_scope(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not request.user.is_superuser:
            kwargs["queryset"] = agencies_in_scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
