from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from yifa.core import clock
from yifa.orgs.models import Organization

from .models import (Case, CaseType, DiscretionBenchmark, EnforcementBody, EnforcementItem, ImportBatch, Officer,
                     ProcessRecord, Procedure, ReviewResult)


class VisibleOrgField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return Organization.objects.visible_to(request.user) if request else Organization.objects.none()


class VisibleField(serializers.PrimaryKeyRelatedField):
    def __init__(self, model, **kw):
        self.model = model
        super().__init__(**kw)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(request.user) if request else self.model.objects.none()


class BodySerializer(serializers.ModelSerializer):
    org = VisibleOrgField()

    class Meta:
        model = EnforcementBody
        fields = ["id", "org", "name", "kind", "legal_basis", "is_active", "version"]
        read_only_fields = ["version"]


class OfficerSerializer(serializers.ModelSerializer):
    org = VisibleOrgField()
    hours_this_year = serializers.SerializerMethodField(help_text="本年度培训学时（由培训出勤记录计算）")

    def get_hours_this_year(self, obj) -> float:
        hours = getattr(obj, "hours_this_year", None)
        if hours is None:
            from yifa.training.selectors import hours_subquery, year_bounds

            start, end = year_bounds(clock.today().year)
            hours = (Officer.objects.filter(pk=obj.pk).annotate(h=hours_subquery(start, end))
                     .values_list("h", flat=True).first())
        return float(hours or 0)

    class Meta:
        model = Officer
        fields = ["id", "org", "name", "certificate_no", "valid_from", "valid_to", "status",
                  "hours_this_year", "version"]
        read_only_fields = ["version"]
        extra_kwargs = {"certificate_no": {"validators": []}}


class BenchmarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = DiscretionBenchmark
        fields = ["level", "circumstance", "min_amount", "max_amount"]


@extend_schema_serializer(component_name="EnforcementItem")
class ItemSerializer(serializers.ModelSerializer):
    org = VisibleOrgField()
    benchmarks = BenchmarkSerializer(many=True, required=False)

    class Meta:
        model = EnforcementItem
        fields = ["id", "org", "code", "name", "category", "legal_basis", "is_active", "benchmarks", "version"]
        read_only_fields = ["version"]
        extra_kwargs = {"code": {"validators": []}}


class CaseSerializer(serializers.ModelSerializer):
    org = VisibleOrgField()
    item = VisibleField(EnforcementItem)
    officers = VisibleField(Officer, many=True, required=False)
    state_label = serializers.CharField(read_only=True)
    due_status = serializers.SerializerMethodField()
    late_payment_surcharge = serializers.SerializerMethodField(
        help_text="加处罚款（《行政处罚法》第七十二条）：逾期日数、金额（以罚款数额为限）；申请复议、提起诉讼期间不计算（第七十三条第三款：days_excluded、paused_periods）；无罚款或未送达时为 null")

    class Meta:
        model = Case
        fields = ["id", "org", "case_no", "case_type", "procedure", "state", "state_label", "item", "title",
                  "party_name", "party_kind", "party_id_no", "party_phone", "party_address", "facts", "handler",
                  "officers", "filed_on", "act_on", "discovered_on", "limitation_five_years", "sanction", "amount", "circumstance", "discretion_reason",
                  "major_public_interest", "rights_waived", "notice_on", "hearing_request_until",
                  "hearing_requested", "hearing_held_on", "legal_review_result", "legal_review_on", "decided_on",
                  "rest_day_reason", "served_on", "paid_on", "collected_on_spot", "handed_over_on", "closed_on",
                  "publicity_state", "published_on", "is_open", "due", "due_provisional", "yellow_from",
                  "due_rule", "due_status", "on_time", "source_system", "source_case_no", "late_payment_surcharge",
                  "version"]
        read_only_fields = ["case_no", "state", "handler", "notice_on", "hearing_request_until", "hearing_requested",
                            "hearing_held_on", "legal_review_result", "legal_review_on", "decided_on", "served_on",
                            "paid_on", "collected_on_spot", "handed_over_on", "closed_on", "publicity_state", "published_on", "is_open", "due", "due_provisional", "yellow_from",
                            "due_rule", "on_time", "version"]
        extra_kwargs = {"source_system": {"required": False}, "source_case_no": {"required": False}}
        validators = []

    def get_due_status(self, obj) -> str:
        return obj.due_status_on(clock.today())

    def get_late_payment_surcharge(self, obj) -> dict | None:
        from .selectors import late_payment_surcharge

        s = late_payment_surcharge(obj, clock.today(), self._remedy_periods(obj))
        if s is None:
            return None
        return {"payment_due": s.due, "due_provisional": s.provisional, "days_overdue": s.days,
                "amount": str(s.amount), "capped": s.capped, "paid_on": s.paid_on,
                "days_excluded": s.excluded_days, "excluded_reason": s.paused_text,
                "paused_periods": [{"kind": p.kind_label, "reference": p.reference, "start": p.start,
                                    "end": p.end, "days": p.days} for p in s.paused]}

    def _remedy_periods(self, obj):
        """Reconsideration/litigation periods (art. 73 ¶3) of every case on the page, read once
        per page, so a list does not query per case."""
        from .remedies import periods_for

        cache = self.context.setdefault("_remedy_periods", {})
        if obj.pk not in cache:
            page = getattr(self.parent, "instance", None) if self.parent is not None else None
            ids = [c.pk for c in page] if page is not None else [obj.pk]
            if obj.pk not in ids:
                ids.append(obj.pk)
            found = periods_for(ids)
            cache.update({i: found.get(i, []) for i in ids})
        return cache[obj.pk]


class CaseUpdateSerializer(serializers.ModelSerializer):
    officers = VisibleField(Officer, many=True, required=False)
    version = serializers.IntegerField(help_text="读取时的版本号；不一致时返回 409")

    class Meta:
        model = Case
        fields = ["title", "party_name", "party_kind", "party_id_no", "party_phone", "party_address", "facts",
                  "sanction", "amount", "circumstance", "discretion_reason", "major_public_interest",
                  "rights_waived", "rest_day_reason", "officers", "version"]


class CaseTransitionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="操作代码，见该案件类型的流程表")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)
    on = serializers.DateField(required=False, help_text="行为发生日期（默认今天）")
    hearing_on = serializers.DateField(required=False, help_text="通知听证（notify_hearing）时必填：听证举行日期")
    remedy_end_on = serializers.DateField(
        required=False, help_text="送达催告书（remind）时必填：当事人申请复议、提起诉讼的期限届满日（《行政强制法》第五十三条）")


class LegalReviewSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[ReviewResult.PASSED, ReviewResult.REJECTED])
    opinion = serializers.CharField()
    on = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False)


class PublicitySerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


class RecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessRecord
        fields = ["id", "org", "case", "step", "kind", "original_name", "content_type", "size", "sm3", "description",
                  "uploaded_by", "uploaded_at"]


class RecordUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["cases", "officers", "items", "bodies"], default="cases")
    source_system = serializers.CharField(max_length=40)
    rows = serializers.ListField(child=serializers.DictField(), allow_empty=False, max_length=50000)


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = ["id", "org", "kind", "source_system", "filename", "state", "total", "processed", "created",
                  "updated", "errors", "created_at"]


class BoardSerializer(serializers.Serializer):
    totals = serializers.DictField()
    by_org = serializers.ListField()
    by_handler = serializers.ListField()
    by_item = serializers.ListField()
    trend = serializers.ListField()


__all__ = ["CaseType", "Procedure"]
