"""Admin: the per-unit 发文字号代字 is editable (through the audited service); issued
documents and sequences are read-only (they change only through the services)."""

from django.contrib import admin

from yifa.orgs.models import Organization

from . import services
from .models import DocumentNumberPrefix, DocumentSequence, IssuedDocument
from .types import doc_type_name


class ScopedReadOnlyAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentNumberPrefix)
class DocumentNumberPrefixAdmin(admin.ModelAdmin):
    list_display = ("org", "doc_type", "prefix")
    list_filter = ("doc_type",)
    search_fields = ("org__name", "prefix")

    def get_queryset(self, request):
        return DocumentNumberPrefix.objects.visible_to(request.user).select_related("org")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "org":
            kwargs["queryset"] = Organization.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = services.set_number_prefix(actor=request.user, org=obj.org, doc_type=obj.doc_type, prefix=obj.prefix)
        if saved is not None:
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.set_number_prefix(actor=request.user, org=obj.org, doc_type=obj.doc_type, prefix="")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(ScopedReadOnlyAdmin):
    list_display = ("org", "year", "series_name", "last_number")
    list_filter = ("year", "doc_type")

    @admin.display(description="文种/编号序列", ordering="doc_type")
    def series_name(self, obj):
        return doc_type_name(obj.doc_type)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ScopedReadOnlyAdmin):
    list_display = ("doc_number", "title", "doc_type", "org", "status", "created_at")
    list_filter = ("doc_type", "year", "status")
    search_fields = ("doc_number", "title")
