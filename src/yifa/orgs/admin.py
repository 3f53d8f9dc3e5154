"""Django admin for system administrators: scoped querysets, writes through services."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from . import services
from .models import Organization, User


class ScopedAdminMixin:
    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # units and accounts are deactivated, never deleted (history must stay)


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    fields = ("name", "short_name", "code", "kind", "parent", "head_name", "phone", "sort_order", "is_active")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Organization.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in self.fields}
        if change:
            data.pop("parent")
            updated = services.update_organization(actor=request.user, org=obj, parent=form.cleaned_data["parent"],
                                                   **data)
        else:
            updated = services.create_organization(actor=request.user, **data)
        obj.pk, obj.path = updated.pk, updated.path


@admin.register(User)
class UserAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("username", "display_name", "org", "is_active")
    search_fields = ("username", "display_name")
    fields = ("username", "display_name", "org", "post", "phone", "email", "is_active")
    readonly_fields = ("username",)

    def has_add_permission(self, request):
        return False  # accounts are created on the 人员账号 page (roles + password validation)

    def save_model(self, request, obj, form, change):
        if not change:
            raise PermissionDenied
        data = {f: form.cleaned_data[f] for f in ("display_name", "org", "post", "phone", "email", "is_active")}
        services.update_user(actor=request.user, user=obj, **data)
