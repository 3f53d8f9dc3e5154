"""API under /api/v1/supervision/evaluation/: scoring sheets, campaigns (sampling, scoring,
conclusion, notice), sampled files (scoring) and the per-unit results and metrics.
Reads go through `visible_to`; writes call the services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization, User

from . import selectors, services
from .checks import CHECKS
from .models import (Campaign, CampaignState, Category, Deduction, EvaluationFile, FileState, QuotaKind,
                     ScoringSheet, SheetItem, Suggestion)

MAX_ID = 2**31 - 1


def _id(**kw):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kw)


# --- sheets ------------------------------------------------------------------------------------

class EvalSheetItemSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = SheetItem
        fields = ["id", "sheet", "code", "category", "category_label", "text", "max_points", "is_veto", "check_code",
                  "sort_order", "is_active"]


class EvalSheetSerializer(serializers.ModelSerializer):
    items = EvalSheetItemSerializer(many=True, read_only=True)

    class Meta:
        model = ScoringSheet
        fields = ["id", "name", "description", "excellent_min", "pass_min", "is_local_default", "is_active", "items",
                  "version"]


class EvalSheetInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    excellent_min = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100, default=90)
    pass_min = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100, default=70)
    copy_from = _id(required=False, allow_null=True, default=None, help_text="复制该标准的评查项目")


class EvalSheetPatchSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    excellent_min = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100,
                                             required=False)
    pass_min = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100, required=False)
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class EvalItemInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)
    category = serializers.ChoiceField(choices=Category.choices)
    text = serializers.CharField(max_length=300)
    max_points = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100, default=0)
    is_veto = serializers.BooleanField(default=False)
    check_code = serializers.ChoiceField(choices=[("", "")] + list(CHECKS.items()), required=False, default="")
    sort_order = serializers.IntegerField(min_value=0, max_value=100000, required=False, allow_null=True,
                                          default=None)


class EvalItemPatchSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    text = serializers.CharField(max_length=300, required=False)
    max_points = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100,
                                          required=False)
    is_veto = serializers.BooleanField(required=False)
    check_code = serializers.ChoiceField(choices=[("", "")] + list(CHECKS.items()), required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="评查标准的版本号")


class SheetViewSet(viewsets.ReadOnlyModelViewSet):
    """案卷评查标准（全县统一的参考数据）：评查项目按立卷/实体/程序/文书分类，否决项，等次分数线。
    新建、修改须系统管理员或监督员；已评分案卷保留评分时的项目内容和扣分。"""

    queryset = ScoringSheet.objects.all()
    serializer_class = EvalSheetSerializer

    def get_queryset(self):
        return ScoringSheet.objects.prefetch_related("items").order_by("-is_active", "name")

    @extend_schema(request=EvalSheetInSerializer, responses={201: EvalSheetSerializer})
    def create(self, request, *args, **kwargs):
        ser = EvalSheetInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        copy_id = d.pop("copy_from")
        copy_from = get_object_or_404(ScoringSheet, pk=copy_id) if copy_id else None
        sheet = services.create_sheet(actor=request.user, copy_from=copy_from, **d)
        return Response(EvalSheetSerializer(sheet).data, status=201)

    @extend_schema(request=EvalSheetPatchSerializer, responses={200: EvalSheetSerializer})
    def partial_update(self, request, *args, **kwargs):
        sheet = self.get_object()
        ser = EvalSheetPatchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        version = d.pop("version")
        sheet = services.update_sheet(actor=request.user, sheet=sheet, expected_version=version, **d)
        return Response(EvalSheetSerializer(sheet).data)

    @extend_schema(request=EvalItemInSerializer, responses={201: EvalSheetItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        sheet = self.get_object()
        ser = EvalItemInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        item = services.add_item(actor=request.user, sheet=sheet, **ser.validated_data)
        return Response(EvalSheetItemSerializer(item).data, status=201)


class SheetItemViewSet(viewsets.ReadOnlyModelViewSet):
    """评查项目：修改内容、分值、否决项、客观项检查，或停用。"""

    queryset = SheetItem.objects.all()
    serializer_class = EvalSheetItemSerializer

    def get_queryset(self):
        return SheetItem.objects.order_by("sheet_id", "sort_order", "id")

    @extend_schema(request=EvalItemPatchSerializer, responses={200: EvalSheetItemSerializer})
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        ser = EvalItemPatchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        version = d.pop("version")
        item = services.update_item(actor=request.user, item=item, expected_version=version, **d)
        return Response(EvalSheetItemSerializer(item).data)


# --- campaigns ---------------------------------------------------------------------------------

class EvalTargetSerializer(serializers.Serializer):
    org = serializers.IntegerField(source="org_id")
    org_name = serializers.CharField(source="org.name")
    quota_kind = serializers.CharField()
    quota_value = serializers.DecimalField(max_digits=7, decimal_places=2)
    available = serializers.IntegerField(allow_null=True)
    sampled = serializers.IntegerField()


class EvalCampaignSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    targets = EvalTargetSerializer(many=True, read_only=True)
    evaluators = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "org", "org_name", "title", "description", "period_start", "period_end", "sheet", "state",
                  "state_label", "seed", "sampled_on", "concluded_on", "targets", "evaluators", "notice",
                  "notice_number", "version"]

    def get_evaluators(self, obj) -> list[int]:
        return [link.user_id for link in obj.evaluator_links.all()]


class EvalQuotaInSerializer(serializers.Serializer):
    org = _id(help_text="被评查单位")
    count = serializers.IntegerField(min_value=1, max_value=10000, required=False, allow_null=True, default=None,
                                     help_text="抽取件数（与 percent 二选一）")
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False,
                                       allow_null=True, default=None, help_text="抽取比例（%，向上取整）")

    def validate(self, attrs):
        if (attrs.get("count") is None) == (attrs.get("percent") is None):
            raise serializers.ValidationError("请填写抽取件数或抽取比例（二选一）。")
        return attrs


class EvalCampaignInSerializer(serializers.Serializer):
    org = _id(help_text="组织单位")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    period_start = serializers.DateField(help_text="结案日期起")
    period_end = serializers.DateField(help_text="结案日期止")
    sheet = _id(required=False, allow_null=True, default=None, help_text="评查标准（默认启用中的本地默认标准）")
    targets = EvalQuotaInSerializer(many=True, help_text="被评查单位及抽取数量")
    evaluators = serializers.ListField(child=_id(), required=False, default=list, max_length=200)


class EvalCampaignPatchSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    sheet = _id(required=False)
    targets = EvalQuotaInSerializer(many=True, required=False)
    evaluators = serializers.ListField(child=_id(), required=False, max_length=200)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class EvalCampaignTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["sample", "resample", "start", "conclude"],
                                     help_text="sample/resample 抽样（可指定 seed）；start 开始评分；conclude 结束评查")
    seed = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                    max_value=services.MAX_SEED - 1, help_text="随机种子（相同种子得到相同样本）")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class EvalNoticeInSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="成文日期（默认今天）")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class EvalResultRowSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    org_name = serializers.CharField()
    quota = serializers.CharField()
    available = serializers.IntegerField(allow_null=True)
    sampled = serializers.IntegerField()
    evaluated = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    excellent = serializers.IntegerField()
    fail = serializers.IntegerField()
    problems = serializers.IntegerField()
    by_category = serializers.DictField(child=serializers.IntegerField())

    def get_fields(self):
        fields = super().get_fields()
        fields["pass"] = serializers.IntegerField()  # `pass` is a Python keyword: declared here
        return fields


def _orgs_in_scope(user, ids, field):
    root = user.scope_root
    ids = list(dict.fromkeys(ids))
    found = {o.pk: o for o in Organization.objects.filter(pk__in=ids, path__startswith=root.path)} if root else {}
    if len(found) != len(ids):
        raise DomainError("单位不存在或不在您的范围内。", {field: ["单位不存在或不在您的范围内。"]})
    return found


def _users_in_scope(user, ids):
    ids = list(dict.fromkeys(ids))
    root = user.scope_root
    found = list(User.objects.filter(pk__in=ids, org__path__startswith=root.path).select_related("org")) if root \
        else []
    if len(found) != len(ids):
        raise DomainError("评查人员不存在或不在您的范围内。", {"evaluators": ["人员不存在或不在您的范围内"]})
    return found


def _quotas(user, rows):
    orgs = _orgs_in_scope(user, [r["org"] for r in rows], "targets")
    return [services.Quota(orgs[r["org"]], QuotaKind.COUNT if r.get("count") is not None else QuotaKind.PERCENT,
                           r["count"] if r.get("count") is not None else r["percent"]) for r in rows]


class CampaignViewSet(ScopedReadOnlyViewSet):
    """评查活动：草拟（被评查单位及抽取数量、结案期间、评查人员、评查标准）→ 随机抽样（记录随机种子，
    相同种子重抽结果相同；抽取数量超过可抽案件数时拒绝）→ 评分 → 结束 → 印发案卷评查通报。
    流转：`POST …/{id}/transitions/` {action: sample|resample|start|conclude, seed, version}。"""

    queryset = Campaign.objects.all()
    serializer_class = EvalCampaignSerializer
    select_related = ("org",)

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("targets__org", "evaluator_links").order_by("-period_end", "-id")
        state = self.request.query_params.get("state")
        if state in CampaignState.values:
            qs = qs.filter(state=state)
        return qs

    @extend_schema(request=EvalCampaignInSerializer, responses={201: EvalCampaignSerializer})
    def create(self, request, *args, **kwargs):
        ser = EvalCampaignInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        org = _orgs_in_scope(request.user, [d.pop("org")], "org")
        sheet_id = d.pop("sheet")
        sheet = ScoringSheet.objects.filter(pk=sheet_id).first() if sheet_id else None
        if sheet_id and sheet is None:
            raise DomainError("评查标准不存在。", {"sheet": ["不存在"]})
        c = services.create_campaign(actor=request.user, org=next(iter(org.values())), sheet=sheet,
                                     targets=_quotas(request.user, d.pop("targets")),
                                     evaluators=_users_in_scope(request.user, d.pop("evaluators")), **d)
        return Response(EvalCampaignSerializer(c).data, status=201)

    @extend_schema(request=EvalCampaignPatchSerializer, responses={200: EvalCampaignSerializer})
    def partial_update(self, request, *args, **kwargs):
        c = self.get_object()
        ser = EvalCampaignPatchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        version = d.pop("version")
        if "sheet" in d:
            d["sheet"] = ScoringSheet.objects.filter(pk=d["sheet"]).first()
            if d["sheet"] is None:
                raise DomainError("评查标准不存在。", {"sheet": ["不存在"]})
        if "targets" in d:
            d["targets"] = _quotas(request.user, d["targets"])
        if "evaluators" in d:
            d["evaluators"] = _users_in_scope(request.user, d["evaluators"])
        c = services.update_campaign(actor=request.user, campaign=c, expected_version=version, **d)
        return Response(EvalCampaignSerializer(c).data)

    @extend_schema(request=EvalCampaignTransitionSerializer, responses={200: EvalCampaignSerializer})
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, pk=None):
        c = self.get_object()
        ser = EvalCampaignTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        c = services.campaign_transition(actor=request.user, campaign=c, action=d["action"], reason=d["reason"],
                                         on=d["on"], expected_version=d["version"], seed=d["seed"])
        return Response(EvalCampaignSerializer(Campaign.objects.get(pk=c.pk)).data)

    @extend_schema(request=EvalNoticeInSerializer, responses={200: EvalCampaignSerializer})
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        """印发案卷评查通报（docx/pdf，编号），数据由评分结果计算。"""
        c = self.get_object()
        ser = EvalNoticeInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        c = services.issue_notice(actor=request.user, campaign=c, on=ser.validated_data["on"],
                                  expected_version=ser.validated_data["version"])
        return Response(EvalCampaignSerializer(c).data)

    @extend_schema(responses={200: EvalResultRowSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """各被评查单位：抽取/评定案卷数、平均得分、优秀/合格/不合格数、各类问题数。"""
        c = self.get_object()
        return Response(EvalResultRowSerializer(selectors.campaign_results(c)["rows"], many=True).data)


# --- files -------------------------------------------------------------------------------------

class EvalDeductionSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = Deduction
        fields = ["id", "item", "item_code", "category", "item_text", "is_veto", "points", "note", "source"]


class EvalSuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suggestion
        fields = ["id", "item", "check_code", "detail", "state", "reason"]


class EvalFileSerializer(serializers.ModelSerializer):
    case_no = serializers.CharField(source="case.case_no", read_only=True)
    case_title = serializers.CharField(source="case.title", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    deductions = EvalDeductionSerializer(many=True, read_only=True)
    suggestions = EvalSuggestionSerializer(many=True, read_only=True)

    class Meta:
        model = EvaluationFile
        fields = ["id", "org", "campaign", "case", "case_no", "case_title", "seq", "evaluator", "state", "score",
                  "deducted", "veto", "grade", "grade_label", "problem_count", "note", "submitted_on", "deductions",
                  "suggestions", "version"]


class EvalDeductionInSerializer(serializers.Serializer):
    item = _id()
    points = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100, required=False,
                                      default=0, help_text="扣分（否决项不填）")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class EvalDecisionInSerializer(serializers.Serializer):
    suggestion = _id()
    decision = serializers.ChoiceField(choices=["confirm", "reject", "pending"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300,
                                   help_text="排除时必填")


class EvalScoreInSerializer(serializers.Serializer):
    deductions = EvalDeductionInSerializer(many=True, required=False, default=list, help_text="完整的问题清单（覆盖已保存的）")
    decisions = EvalDecisionInSerializer(many=True, required=False, default=list, help_text="对客观项建议的确认或排除")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    submit = serializers.BooleanField(required=False, default=False, help_text="提交评定（须先处理全部客观项建议）")
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="读取时的版本号；不一致时返回 409")


class EvalReopenInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class FileViewSet(ScopedReadOnlyViewSet):
    """评查案卷：客观项建议（由案件数据计算，待评查人员确认或排除）、扣分、评定（100 − 扣分，
    最低 0 分；触及否决项即不合格）；并发修改返回 409。"""

    queryset = EvaluationFile.objects.all()
    serializer_class = EvalFileSerializer
    select_related = ("case",)

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("deductions__item", "suggestions").order_by("campaign_id", "seq")
        p = self.request.query_params
        if p.get("campaign"):
            try:
                campaign = int(p["campaign"])
            except (TypeError, ValueError):
                campaign = 0
            qs = qs.filter(campaign_id=campaign) if 0 < campaign <= MAX_ID else qs.none()
        if p.get("state") in FileState.values:
            qs = qs.filter(state=p["state"])
        return qs

    @extend_schema(request=EvalScoreInSerializer, responses={200: EvalFileSerializer})
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        f = self.get_object()
        ser = EvalScoreInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        f = services.score_file(actor=request.user, file=f, deductions=d["deductions"], decisions=d["decisions"],
                                note=d["note"], submit=d["submit"], on=d["on"], expected_version=d["version"])
        return Response(EvalFileSerializer(self.get_queryset().get(pk=f.pk)).data)

    @extend_schema(request=EvalReopenInSerializer, responses={200: EvalFileSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        f = self.get_object()
        ser = EvalReopenInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        f = services.reopen_file(actor=request.user, file=f, reason=ser.validated_data["reason"],
                                 expected_version=ser.validated_data["version"])
        return Response(EvalFileSerializer(self.get_queryset().get(pk=f.pk)).data)


class EvalMetricsSerializer(serializers.Serializer):
    files_evaluated = serializers.IntegerField()
    problems_found = serializers.IntegerField()
    grades = serializers.DictField(child=serializers.IntegerField())
    average_score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    problems_by_category = serializers.DictField(child=serializers.IntegerField())


@extend_schema(parameters=[OpenApiParameter("org", int, description="单位（默认本人范围）"),
                           OpenApiParameter("start", str, description="评定日期起 YYYY-MM-DD"),
                           OpenApiParameter("end", str, description="评定日期止 YYYY-MM-DD")],
               responses={200: EvalMetricsSerializer})
@api_view(["GET"])
def metrics(request):
    """案卷评查统计：评查案卷数、发现问题数、各等次数、平均分、各类问题数（单位及其下级）。"""
    from django.utils.dateparse import parse_date

    root = request.user.scope_root
    if root is None:
        raise DomainError("您没有统计范围。")
    org = root
    if request.query_params.get("org"):
        try:
            org_id = int(request.query_params["org"])
        except (TypeError, ValueError):
            raise DomainError("单位参数无效。", {"org": ["应为单位编号"]}) from None
        org = Organization.objects.filter(pk=org_id, path__startswith=root.path).first() if 0 < org_id <= MAX_ID \
            else None
        if org is None:
            raise DomainError("单位不存在或不在您的范围内。", {"org": ["不在您的范围内"]})
    dates = {}
    for key in ("start", "end"):
        raw = request.query_params.get(key)
        if raw:
            try:
                dates[key] = parse_date(raw)
            except ValueError:
                dates[key] = None
            if dates[key] is None:
                raise DomainError("日期格式应为 YYYY-MM-DD。", {key: ["日期格式有误"]})
    return Response(EvalMetricsSerializer(selectors.evaluation_metrics(org, dates.get("start"), dates.get("end"))).data)
