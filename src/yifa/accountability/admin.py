"""The catalogues are editable data (the circumstance catalogue and exemption reasons ship
as local defaults): an administrator adapts them to the county's own 办法 here. Clearing
`is_local_default` marks an item as verified against the local text."""

from django.contrib import admin

from .models import Circumstance, CircumstanceCategory, ExemptionReason, Method


class CircumstanceInline(admin.TabularInline):
    model = Circumstance
    extra = 0
    fields = ("code", "name", "is_local_default", "is_active")


@admin.register(CircumstanceCategory)
class CircumstanceCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order", "is_local_default")
    inlines = [CircumstanceInline]


@admin.register(Circumstance)
class CircumstanceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "is_local_default", "is_active")
    list_filter = ("category", "is_local_default", "is_active")


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ("name", "group", "impact_months", "impact_citation", "restricts_promotion", "restricts_title",
                    "restricts_commendation")


@admin.register(ExemptionReason)
class ExemptionReasonAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_local_default")
