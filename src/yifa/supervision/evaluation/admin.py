"""Admin: scoring sheets and their items are editable (the county's standard, data not code).
Campaigns and files change only through the services (sampling, scoring)."""

from django.contrib import admin

from .models import ScoringSheet, SheetItem


class SheetItemInline(admin.TabularInline):
    model = SheetItem
    extra = 0
    fields = ("sort_order", "code", "category", "text", "max_points", "is_veto", "check_code", "is_active")


@admin.register(ScoringSheet)
class ScoringSheetAdmin(admin.ModelAdmin):
    list_display = ("name", "excellent_min", "pass_min", "is_local_default", "is_active")
    inlines = [SheetItemInline]
