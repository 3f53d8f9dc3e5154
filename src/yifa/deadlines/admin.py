from django.contrib import admin

from .models import DeadlineRule, DeadlineRuleOverride, HolidayDay, HolidayYear


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ("year", "complete", "source")


@admin.register(HolidayDay)
class HolidayDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "source")
    list_filter = ("year", "kind")
    # Writes go through the audited services (our holiday page / `yifa holidays import`).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "n", "unit", "direction", "basis", "is_local_default")
    readonly_fields = ("code",)


@admin.register(DeadlineRuleOverride)
class DeadlineRuleOverrideAdmin(admin.ModelAdmin):
    list_display = ("rule", "org", "n", "basis")
