"""API: advisors, review items, transitions, opinions, adoption, recusal, statistics.
Reads go through `visible_to`; writes call the services."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from yifa.core.api import TransitionRequestSerializer
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization, User

from . import selectors, services
from .models import (Adoption, AdvisorStatus, AdvisorType, Conclusion, ItemState, ItemType, LegalAdvisor,
                     PrecheckHint, ReviewItem, ReviewOpinion, Suggestion, Tier, county_root)
from .models import Disposition, PrecheckCategory, PrecheckExample
from .workflows import REVIEW


# --- serializers -------------------------------------------------------------------------------------

class AdvisorSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = LegalAdvisor
        fields = ["id", "org", "org_name", "name", "advisor_type", "firm", "license_no", "phone", "specialties",
                  "county_team", "contract_start", "contract_end", "status", "version"]
        read_only_fields = ["version"]


class AdvisorWriteSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    name = serializers.CharField(max_length=40)
    advisor_type = serializers.ChoiceField(choices=AdvisorType.choices)
    firm = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    license_no = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    specialties = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    county_team = serializers.BooleanField(required=False, default=False)
    contract_start = serializers.DateField(required=False, allow_null=True, default=None)
    contract_end = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=AdvisorStatus.choices, required=False, default=AdvisorStatus.ACTIVE)
    version = serializers.IntegerField(required=False)


class SuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suggestion
        fields = ["id", "clause", "quote", "suggestion", "basis", "adoption", "adoption_reason", "answered_on",
                  "carried_from", "disposition", "disposition_tier"]


class OpinionSerializer(serializers.ModelSerializer):
    reviewer_name = serializers.CharField(source="reviewer.display_name", read_only=True)
    suggestions = SuggestionSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewOpinion
        fields = ["id", "round", "tier", "reviewer", "reviewer_name", "authority", "procedure", "content",
                  "conclusion", "submitted_on", "suggestions"]


class HintSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrecheckHint
        fields = ["id", "round", "rule_code", "category", "quote", "explanation", "basis", "dismissed",
                  "dismiss_reason"]


class ItemSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ReviewItem
        fields = ["id", "org", "org_name", "number", "title", "item_type", "state", "state_label", "round",
                  "specialty", "submitted_on", "accepted_on", "issued_on", "final_conclusion", "letter_number",
                  "cleared_on", "filed_on", "filing_number", "intake_problems", "version"]


class ItemDetailSerializer(ItemSerializer):
    opinions = OpinionSerializer(many=True, read_only=True)
    hints = HintSerializer(many=True, read_only=True)

    class Meta(ItemSerializer.Meta):
        fields = ItemSerializer.Meta.fields + [
            "draft_text", "drafting_explanation", "legal_basis", "public_participation", "comment_start",
            "comment_end", "expert_argumentation", "risk_assessment", "counterparty", "needed_by", "urgent_reason",
            "short_review_reason", "opinions", "hints"]


class ItemSubmitSerializer(serializers.Serializer):
    org = serializers.IntegerField(required=False, help_text="报送单位（默认为本人所在单位）")
    title = serializers.CharField(max_length=200)
    item_type = serializers.ChoiceField(choices=ItemType.choices)
    specialty = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    draft_file = serializers.FileField(required=False, help_text="docx 或 pdf；按内容校验，扩展名须与内容一致")
    draft_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=200000)
    drafting_explanation = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    public_participation = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    comment_start = serializers.DateField(required=False, allow_null=True, default=None)
    comment_end = serializers.DateField(required=False, allow_null=True, default=None)
    expert_argumentation = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    risk_assessment = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    counterparty = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    needed_by = serializers.DateField(required=False, allow_null=True, default=None,
                                      help_text="重大行政决策：拟提请审议/印发日期（须为审查留出不少于七个工作日）")
    urgent_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300,
                                          help_text="审查时间不足七个工作日的理由")


class ResubmitSerializer(ItemSubmitSerializer):
    title = serializers.CharField(max_length=200, required=False)
    item_type = serializers.ChoiceField(choices=ItemType.choices, required=False)
    version = serializers.IntegerField(required=False)


class SuggestionInSerializer(serializers.Serializer):
    clause = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    quote = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    suggestion = serializers.CharField(max_length=5000)
    basis = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class DispositionInSerializer(serializers.Serializer):
    """What this tier does with an earlier tier's suggestion (`suggestion` = its id)."""

    suggestion = serializers.IntegerField()
    action = serializers.ChoiceField(choices=Disposition.choices)
    clause = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    quote = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                 help_text="the changed suggestion (action changed)")
    basis = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class OpinionInSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    authority = serializers.CharField(max_length=20000)
    procedure = serializers.CharField(max_length=20000)
    content = serializers.CharField(max_length=20000)
    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    suggestions = SuggestionInSerializer(many=True, required=False, default=list)
    dispositions = DispositionInSerializer(many=True, required=False, default=list,
                                           help_text="earlier tiers' suggestions kept, changed or dropped; "
                                                     "one not listed is kept")
    short_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    version = serializers.IntegerField(required=False)


class AdoptionInSerializer(serializers.Serializer):
    suggestion = serializers.IntegerField()
    adoption = serializers.ChoiceField(choices=Adoption.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ReassignSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class DismissSerializer(serializers.Serializer):
    hint = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class FindingSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=[c for c in PrecheckCategory.choices if c[0] != PrecheckCategory.NONE],
                                       help_text="问题类别")
    quote = serializers.CharField(max_length=1000, help_text="送审稿中有问题的条款原文")
    note = serializers.CharField(max_length=300, help_text="问题和理由")


class PrecheckExampleSerializer(serializers.ModelSerializer):
    label_display = serializers.CharField(source="get_label_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    item_number = serializers.CharField(source="item.number", read_only=True)
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True, default="")

    class Meta:
        model = PrecheckExample
        fields = ["id", "org", "item", "item_number", "hint", "text", "label", "label_display", "dismissed_category",
                  "source", "source_display", "reason", "created_by", "created_by_name", "created_on"]
        read_only_fields = fields


class ReviewTransitionSerializer(TransitionRequestSerializer):
    filing_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


# --- viewsets ------------------------------------------------------------------------------------------

def _org_in_scope(user, org_id):
    org = Organization.objects.filter(pk=org_id, path__startswith=county_root(user).path).first() \
        if org_id is not None else None
    if org_id is not None and org is None:
        raise DomainError("单位不存在或不在您的范围内。", {"org": ["单位不存在或不在您的范围内。"]})
    return org


class AdvisorApiFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = LegalAdvisor
        fields = ["q", "advisor_type", "status", "county_team", "org"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(specialties__icontains=value)) if value else qs


class AdvisorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """法律顾问（县内各单位）。新增、修改须法律顾问室或系统管理员。"""

    queryset = LegalAdvisor.objects.all()
    serializer_class = AdvisorSerializer
    filterset_class = AdvisorApiFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return LegalAdvisor.objects.visible_to(self.request.user).select_related("org").order_by("org__path", "id")

    @extend_schema(request=AdvisorWriteSerializer, responses={201: AdvisorSerializer})
    def create(self, request, *args, **kwargs):
        ser = AdvisorWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("version", None)
        org = _org_in_scope(request.user, data.pop("org"))
        advisor = services.create_advisor(actor=request.user, org=org, **data)
        return Response(AdvisorSerializer(advisor).data, status=201)

    @extend_schema(request=AdvisorWriteSerializer, responses={200: AdvisorSerializer})
    def partial_update(self, request, *args, **kwargs):
        advisor = self.get_object()
        ser = AdvisorWriteSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = {k: v for k, v in ser.validated_data.items() if k in request.data or k == "version"}
        version = data.pop("version", None)
        if "org" in data:
            data["org"] = _org_in_scope(request.user, data["org"])
        advisor = services.update_advisor(actor=request.user, advisor=advisor, expected_version=version, **data)
        return Response(AdvisorSerializer(advisor).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class ItemApiFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ItemState.choices)
    item_type = django_filters.ChoiceFilter(choices=ItemType.choices)
    year = django_filters.NumberFilter(method="filter_year", help_text="报送年度")

    def filter_year(self, qs, name, value):
        if value is None:
            return qs
        try:
            year = int(value)
        except (TypeError, ValueError, OverflowError):
            return qs.none()
        return qs.filter(submitted_on__year=year) if 1900 <= year <= 2200 else qs.none()

    class Meta:
        model = ReviewItem
        fields = ["state", "item_type", "year", "org"]


class ReviewItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """合法性审查事项。报送（POST，可 multipart 上传 docx/pdf）、流程操作、审查意见、采纳反馈、回避。"""

    queryset = ReviewItem.objects.all()
    serializer_class = ItemSerializer
    filterset_class = ItemApiFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return ReviewItem.objects.visible_to(self.request.user).select_related("org").order_by("-submitted_on", "-id")

    def get_serializer_class(self):
        return ItemDetailSerializer if self.action == "retrieve" else ItemSerializer

    def _detail(self, item):
        item = ReviewItem.objects.prefetch_related("opinions__suggestions", "opinions__reviewer", "hints").get(pk=item.pk)
        return Response(ItemDetailSerializer(item).data)

    @extend_schema(request=ItemSubmitSerializer, responses={201: ItemDetailSerializer})
    def create(self, request, *args, **kwargs):
        ser = ItemSubmitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        upload = data.pop("draft_file", None)
        org = _org_in_scope(request.user, data.pop("org", None))
        item = services.submit_item(actor=request.user, org=org, upload=upload, **data)
        resp = self._detail(item)
        resp.status_code = 201
        return resp

    @extend_schema(request=ReviewTransitionSerializer, responses={200: ItemDetailSerializer},
                   description="流程操作：" + "；".join(sorted({f"{t.action}（{t.label}）" for t in REVIEW.transitions})))
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, pk=None):
        item = self.get_object()
        ser = ReviewTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        item = services.act(item, d["action"], actor=request.user, reason=d["reason"], on=d.get("on"),
                            expected_version=d.get("version"), payload={"filing_number": d["filing_number"]})
        return self._detail(item)

    @extend_schema(request=OpinionInSerializer, responses={201: OpinionSerializer})
    @action(detail=True, methods=["post"], url_path="opinions")
    def opinions(self, request, pk=None):
        item = self.get_object()
        ser = OpinionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["dispositions"] = {x["suggestion"]: {"action": x["action"], "clause": x["clause"], "quote": x["quote"],
                                               "suggestion": x["text"], "basis": x["basis"]}
                             for x in d.get("dispositions") or []}
        opinion = services.submit_opinion(actor=request.user, item=item, expected_version=d.pop("version", None), **d)
        return Response(OpinionSerializer(opinion).data, status=201)

    @extend_schema(request=AdoptionInSerializer, responses={200: SuggestionSerializer})
    @action(detail=True, methods=["post"], url_path="adoption")
    def adoption(self, request, pk=None):
        item = self.get_object()
        ser = AdoptionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        s = Suggestion.objects.filter(pk=d["suggestion"], opinion__item=item).first()
        if s is None:
            raise DomainError("该事项没有这条建议。", {"suggestion": ["不存在。"]})
        s = services.record_adoption(actor=request.user, suggestion=s, adoption=d["adoption"], reason=d["reason"])
        return Response(SuggestionSerializer(s).data)

    @extend_schema(request=ResubmitSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path="resubmit")
    def resubmit(self, request, pk=None):
        item = self.get_object()
        ser = ResubmitSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = {k: v for k, v in ser.validated_data.items() if k in request.data}
        upload, version = data.pop("draft_file", None), data.pop("version", None)
        data.pop("org", None)
        item = services.resubmit_item(actor=request.user, item=item, upload=upload, expected_version=version, **data)
        return self._detail(item)

    @extend_schema(request=ReasonSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path="recuse")
    def recuse(self, request, pk=None):
        item = self.get_object()
        ser = ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.recuse(actor=request.user, item=item, reason=ser.validated_data["reason"])
        return Response({"id": item.pk, "recused": True})

    @extend_schema(request=ReassignSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path="reassign")
    def reassign(self, request, pk=None):
        item = self.get_object()
        ser = ReassignSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        reviewer = User.objects.filter(pk=ser.validated_data["reviewer"]).first()
        if reviewer is None:
            raise DomainError("审查人不存在。", {"reviewer": ["不存在。"]})
        services.reassign(actor=request.user, item=item, reviewer=reviewer, reason=ser.validated_data["reason"])
        return self._detail(item)

    @extend_schema(request=FindingSerializer, responses={201: PrecheckExampleSerializer})
    @action(detail=True, methods=["post"], url_path="precheck-finding")
    def precheck_finding(self, request, pk=None):
        """审查人补充预审助手未发现的问题条款（类别、条款原文、理由），记为预审样本。"""
        item = self.get_object()
        ser = FindingSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        example = services.add_precheck_finding(actor=request.user, item=item, **ser.validated_data)
        return Response(PrecheckExampleSerializer(example).data, status=201)

    @extend_schema(request=DismissSerializer, responses={200: HintSerializer})
    @action(detail=True, methods=["post"], url_path="dismiss-hint")
    def dismiss_hint(self, request, pk=None):
        item = self.get_object()
        ser = DismissSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        hint = PrecheckHint.objects.filter(pk=ser.validated_data["hint"], item=item).first()
        if hint is None:
            raise DomainError("该事项没有这条提示。", {"hint": ["不存在。"]})
        hint = services.dismiss_hint(actor=request.user, hint=hint, reason=ser.validated_data["reason"])
        return Response(HintSerializer(hint).data)


@extend_schema(parameters=[OpenApiParameter("year", int, required=False)], responses={200: dict})
@api_view(["GET"])
def statistics(request):
    """合法性审查统计（按类型、审级、单位；采纳率；顾问工作量），仅限本人可见范围。"""
    try:
        year = int(request.query_params.get("year") or 0) or None
    except ValueError:
        raise DomainError("年度应为数字。", {"year": ["应为数字。"]}) from None
    if year is not None and not 2000 <= year <= 2100:
        raise DomainError("年度超出范围。", {"year": ["超出范围。"]})
    stats = selectors.statistics(request.user, year)
    stats["by_unit"] = [{"unit": r.pop("org__name"), **r} for r in stats["by_unit"]]
    stats["workload"] = [{"reviewer": r.pop("reviewer__display_name"), **r} for r in stats["workload"]]
    return Response(stats)


class PrecheckExampleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """预审样本（审查人排除的提示、补充发现），供系统管理员、法律顾问室扩充预审语料；
    `export/?fmt=csv`（语料格式 label,text,source,note）或 `fmt=xlsx`。"""

    serializer_class = PrecheckExampleSerializer

    def get_queryset(self):
        return selectors.precheck_examples(self.request.user)

    @extend_schema(parameters=[OpenApiParameter("fmt", str, enum=["csv", "xlsx"], required=False)],
                   responses={(200, "text/csv"): bytes})
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        from . import exports

        fmt = request.query_params.get("fmt") or "csv"
        if fmt not in ("csv", "xlsx"):
            raise DomainError("导出格式应为 csv 或 xlsx。", {"fmt": ["应为 csv 或 xlsx。"]})
        qs = self.get_queryset()
        return exports.examples_csv_response(qs) if fmt == "csv" else exports.examples_xlsx_response(qs)
