"""API under /api/v1/supervision/: inspections and findings. Reads go through
`visible_to`; writes call the services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from yifa.core.api import ScopedReadOnlyViewSet, TransitionRequestSerializer, TransitionsMixin
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization

from . import filters, selectors, services
from .workflows import LETTER
ID_MAX = 2 ** 53  # ids beyond this cannot exist; larger values would overflow the database driver

from .models import (Clue, Finding, FindingCategory, FindingSource, Inspection, InspectionKind, LetterTier, OpinionLetter,
                     RectificationFile, RectificationReport, RuleParam, RuleSwitch, Urging)


class InspectionSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    sector_name = serializers.SerializerMethodField(help_text="执法领域名称（未指定为空）")

    def get_sector_name(self, obj) -> str:
        return obj.sector.name if obj.sector_id else ""

    class Meta:
        model = Inspection
        fields = ["id", "org", "org_name", "kind", "title", "plan", "targets", "team", "period_start", "period_end",
                  "checklist", "joint_bodies", "sector", "sector_name", "version"]


class FindingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    sector_name = serializers.SerializerMethodField(help_text="执法领域名称（未指定为空）")

    def get_sector_name(self, obj) -> str:
        return obj.sector.name if obj.sector_id else ""

    class Meta:
        model = Finding
        fields = ["id", "org", "org_name", "inspection", "category", "source", "description", "raised_on", "due",
                  "due_provisional", "state", "state_label", "evidence", "corrected_on", "verified_on", "is_major", "typical",
                  "public_summary", "sector", "sector_name", "version"]


class InspectionInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="组织单位", min_value=1, max_value=ID_MAX)
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    title = serializers.CharField(max_length=200)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    targets = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=ID_MAX), required=False, default=list, max_length=500)
    plan = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    team = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    checklist = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    joint_bodies = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    sector = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX,
                                      help_text="执法领域（/admin/ 维护的领域表）")


class FindingInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="被监督单位", min_value=1, max_value=ID_MAX)
    category = serializers.ChoiceField(choices=FindingCategory.choices)
    source = serializers.ChoiceField(choices=FindingSource.choices, required=False, default="administrative")
    description = serializers.CharField(max_length=5000)
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="发现日期（默认今天）")
    inspection = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX)
    sector = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX,
                                      help_text="执法领域（留空则按所属监督检查的领域）")


class CorrectInSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=10000, help_text="整改情况及佐证（必填）")
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class VerifyInSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


def _orgs_in_scope(user, ids, field):
    root = user.scope_root
    ids = list(dict.fromkeys(ids))
    found = list(Organization.objects.filter(pk__in=ids, path__startswith=root.path)) if root else []
    if len(found) != len(ids):
        raise DomainError("单位不存在或不在您的范围内。", {field: ["单位不存在或不在您的范围内。"]})
    return found


class InspectionViewSet(ScopedReadOnlyViewSet):
    """监督检查（日常/专项）。新建须监督员、部门法制员或乡镇法制员。"""

    queryset = Inspection.objects.all()
    serializer_class = InspectionSerializer
    filterset_class = filters.InspectionFilter
    select_related = ("org", "sector")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("targets").order_by("-period_start", "-id")

    @extend_schema(request=InspectionInSerializer, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        ser = InspectionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["org"] = _orgs_in_scope(request.user, [data["org"]], "org")[0]
        data["targets"] = _orgs_in_scope(request.user, data["targets"], "targets")
        insp = services.create_inspection(actor=request.user, **data)
        return Response(InspectionSerializer(insp).data, status=201)


class FindingViewSet(ScopedReadOnlyViewSet):
    """监督发现问题：登记（开始整改期限）、报告整改（须佐证）、核验。"""

    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    filterset_class = filters.FindingFilter
    select_related = ("org", "sector")

    def get_queryset(self):
        return super().get_queryset().order_by("-raised_on", "-id")

    @extend_schema(request=FindingInSerializer, responses={201: FindingSerializer})
    def create(self, request, *args, **kwargs):
        ser = FindingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["org"] = _orgs_in_scope(request.user, [data["org"]], "org")[0]
        insp_id = data.pop("inspection")
        inspection = None
        if insp_id is not None:
            inspection = Inspection.objects.visible_to(request.user).filter(pk=insp_id).first()
            if inspection is None:
                raise DomainError("监督检查不存在或不在您的范围内。", {"inspection": ["不存在或不在您的范围内"]})
        f = services.raise_finding(actor=request.user, inspection=inspection, **data)
        return Response(FindingSerializer(f).data, status=201)

    @extend_schema(request=CorrectInSerializer, responses={200: FindingSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        f = self.get_object()
        ser = CorrectInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        f = services.correct_finding(actor=request.user, finding=f, evidence=d["evidence"], on=d["on"],
                                     expected_version=d["version"])
        return Response(FindingSerializer(f).data)

    @extend_schema(request=VerifyInSerializer, responses={200: FindingSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        f = self.get_object()
        ser = VerifyInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        f = services.verify_finding(actor=request.user, finding=f, on=d["on"], expected_version=d["version"])
        return Response(FindingSerializer(f).data)


class RateSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    org_name = serializers.CharField(source="org__name")
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


@extend_schema(responses={200: RateSerializer(many=True)})
@api_view(["GET"])
def rectification_rates(request):
    """各被监督单位的问题整改率（已整改或已核验 / 全部）。"""
    return Response(RateSerializer(selectors.rectification_rates(request.user), many=True).data)


# --- online supervision ----------------------------------------------------------------------

class ClueSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    case_no = serializers.SerializerMethodField(help_text="案件线索的案号；非案件线索为空")
    rule_name = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField(help_text="线索对象（文字）：案件的案号和案由，或单位/执法人员/问题/投诉及期间")
    subject_kind = serializers.SerializerMethodField(help_text="对象类型（文字）")
    period_label = serializers.SerializerMethodField(help_text="期间（文字），如“2026年11月”")

    class Meta:
        model = Clue
        fields = ["id", "org", "org_name", "rule_code", "rule_name", "case", "case_no", "subject_type", "subject_id",
                  "subject_kind", "subject", "period", "period_label", "raised_on", "state", "finding",
                  "dismiss_reason", "handled_on", "version"]

    def get_rule_name(self, obj) -> str:
        return obj.rule.name if obj.rule else ""

    def get_case_no(self, obj) -> str:
        return obj.case.case_no if obj.case_id else ""

    def get_subject(self, obj) -> str:
        return obj.subject_words

    def get_subject_kind(self, obj) -> str:
        from .subjects import subject_kind_words

        return "案件" if obj.case_id else subject_kind_words(obj.subject_type)

    def get_period_label(self, obj) -> str:
        return obj.period_words


class RuleSwitchSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleSwitch
        fields = ["id", "org", "rule_code", "enabled", "version"]


class RuleParamOutSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField(help_text="count：不小于 1 的整数；amount：正数；share：0 到 1 之间的比例")
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)
    default = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)
    is_default = serializers.BooleanField()
    version = serializers.IntegerField(help_text="乐观锁版本号；0 表示尚未修改（使用默认值）")
    rationale = serializers.CharField()


class RuleOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    citation = serializers.CharField()
    severity = serializers.CharField()
    severity_label = serializers.CharField()
    rationale = serializers.CharField()
    params = RuleParamOutSerializer(many=True)
    clues = serializers.IntegerField(help_text="期间内发现的线索数（本人监督范围内）")
    confirmed = serializers.IntegerField()
    dismissed = serializers.IntegerField()
    open = serializers.IntegerField()
    confirmation_rate = serializers.FloatField(allow_null=True, help_text="已确认 ÷（已确认 + 已排除），百分比；尚无处理为 null")


class ReasonOutSerializer(serializers.Serializer):
    reason = serializers.CharField()
    count = serializers.IntegerField()


class RuleDetailOutSerializer(RuleOutSerializer):
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    dismissal_reasons = ReasonOutSerializer(many=True)
    recent_clues = serializers.ListField(child=serializers.DictField())


class ParamInSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=40)
    value = serializers.CharField(max_length=30)
    rationale = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="读取时的版本号（0 表示尚未修改）；已被他人修改时返回 409")


class RunInSerializer(serializers.Serializer):
    rule_codes = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list,
                                       max_length=50, help_text="不填则运行全部规则")


class SwitchInSerializer(serializers.Serializer):
    org = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    rule_code = serializers.CharField(max_length=60)
    enabled = serializers.BooleanField()


class ConfirmInSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=FindingCategory.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class DismissInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ClueViewSet(ScopedReadOnlyViewSet):
    """线上监督线索：确认为问题（开始整改期限）或说明理由排除。"""

    queryset = Clue.objects.all()
    serializer_class = ClueSerializer
    filterset_class = filters.ClueFilter
    select_related = ("org", "case")

    def get_queryset(self):
        return super().get_queryset().order_by("-raised_on", "-id")

    @extend_schema(request=ConfirmInSerializer, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        c = self.get_object()
        ser = ConfirmInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        f = services.confirm_clue(actor=request.user, clue=c, category=d["category"], description=d["description"],
                                  on=d["on"], expected_version=d["version"])
        return Response(FindingSerializer(f).data, status=201)

    @extend_schema(request=DismissInSerializer, responses={200: ClueSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        c = self.get_object()
        ser = DismissInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        c = services.dismiss_clue(actor=request.user, clue=c, reason=d["reason"], expected_version=d["version"])
        return Response(ClueSerializer(c).data)


class RuleSwitchViewSet(ScopedReadOnlyViewSet):
    """按单位停用/启用线上监督规则（无记录即启用）。"""

    queryset = RuleSwitch.objects.all()
    serializer_class = RuleSwitchSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("org__path", "rule_code")

    @extend_schema(request=SwitchInSerializer, responses={200: RuleSwitchSerializer})
    def create(self, request, *args, **kwargs):
        ser = SwitchInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        org = _orgs_in_scope(request.user, [d["org"]], "org")[0]
        sw = services.set_rule_switch(actor=request.user, org=org, rule_code=d["rule_code"], enabled=d["enabled"])
        return Response(RuleSwitchSerializer(sw).data)


def _rule_row(row) -> dict:
    from .rules import SEVERITIES

    r = row["rule"]
    return {"code": r.code, "name": r.name, "description": r.description, "citation": r.citation,
            "severity": r.severity, "severity_label": SEVERITIES.get(r.severity, ""), "rationale": r.rationale,
            "params": selectors.rule_params(r.code), "clues": row["total"], "confirmed": row["confirmed"],
            "dismissed": row["dismissed"], "open": row["open"], "confirmation_rate": row["rate"]}


_PERIOD_PARAMS = [OpenApiParameter("from", OpenApiTypes.DATE, description="统计起始日期（默认本年 1 月 1 日）"),
                  OpenApiParameter("to", OpenApiTypes.DATE, description="截止日期（默认本年 12 月 31 日）")]


@extend_schema(parameters=_PERIOD_PARAMS, responses={200: RuleOutSerializer(many=True)})
@api_view(["GET"])
def rule_list(request):
    """线上监督规则：说明、依据、严重程度、参数，以及期间内（按发现日期）本人监督范围内的线索数、
    已确认、已排除、待处理和确认率。"""
    start, end = selectors.rule_period(request.query_params.get("from"), request.query_params.get("to"))
    rows = selectors.rules_with_counts(request.user, start, end)
    return Response(RuleOutSerializer([_rule_row(r) for r in rows], many=True).data)


def _rule_or_404(code):
    from django.http import Http404

    from .rules import RULES

    if code not in RULES:
        raise Http404
    return RULES[code]


@extend_schema(parameters=_PERIOD_PARAMS, responses={200: RuleDetailOutSerializer})
@api_view(["GET"])
def rule_detail(request, code):
    """一条监督规则：参数、期间内的命中情况、最多的排除理由及最近的线索。"""
    _rule_or_404(code)
    start, end = selectors.rule_period(request.query_params.get("from"), request.query_params.get("to"))
    row = next(r for r in selectors.rules_with_counts(request.user, start, end) if r["rule"].code == code)
    recent = selectors.clue_period(request.user).filter(rule_code=code).order_by("-raised_on", "-id")[:20]
    data = {**_rule_row(row), "period_from": start, "period_to": end,
            "dismissal_reasons": [{"reason": r["dismiss_reason"], "count": r["n"]}
                                  for r in selectors.dismissal_reasons(request.user, code, start, end)],
            "recent_clues": ClueSerializer(recent, many=True).data}
    return Response(RuleDetailOutSerializer(data).data)


rule_detail.scoped_model = RuleParam  # a rule (global); its clue counts are the viewer's scope

@extend_schema(request=ParamInSerializer, responses={200: RuleParamOutSerializer})
@api_view(["POST"])
def rule_param(request, code):
    """系统管理员修改规则参数（须说明理由，记入审计日志；版本号不符返回 409）。"""
    _rule_or_404(code)
    ser = ParamInSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    d = ser.validated_data
    services.set_rule_param(actor=request.user, rule_code=code, key=d["key"], value=d["value"],
                            rationale=d["rationale"], expected_version=d["version"])
    return Response(RuleParamOutSerializer(next(p for p in selectors.rule_params(code) if p["key"] == d["key"])).data)


@extend_schema(request=RunInSerializer, responses={200: {"type": "object", "additionalProperties": {"type": "integer"}}})
@api_view(["POST"])
def run_rules(request):
    """在本人监督范围内运行线上监督规则，返回各规则新增线索数（重复运行不重复生成）。"""
    ser = RunInSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    return Response(services.run_rules(actor=request.user, rule_codes=ser.validated_data["rule_codes"] or None))


# --- opinion letters -------------------------------------------------------------------------

class RectificationFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = RectificationFile
        fields = ["id", "original_name", "content_type", "size", "sm3", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("supervision:rectification_file", args=[obj.pk])


class ReportSerializer(serializers.ModelSerializer):
    files = RectificationFileSerializer(many=True, read_only=True)

    class Meta:
        model = RectificationReport
        fields = ["id", "round", "content", "evidence", "files", "submitted_on", "result", "review_reason",
                  "reviewed_on"]


class LetterSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    reports = ReportSerializer(many=True, read_only=True)

    class Meta:
        model = OpinionLetter
        fields = ["id", "tier", "tier_label", "escalated_to", "org", "org_name", "issuer", "findings", "title", "requirements", "issued_on", "due",
                  "due_provisional", "doc_number", "document", "state", "state_label", "reports", "version"]


class LetterInSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=LetterTier.choices, default=LetterTier.OPINION,
                                   help_text="notice：行政执法监督通知书（轻微问题）；opinion：意见书")
    findings = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=ID_MAX), min_length=1, max_length=200)
    requirements = serializers.CharField(max_length=10000)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class ReportInSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=20000)
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000,
                                     help_text="佐证材料说明（与佐证文件至少提供一项，否则报告不予接收）")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=20,
                                  help_text="佐证文件（multipart；照片、扫描件、PDF、Word，按内容校验）")
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class LetterViewSet(TransitionsMixin, ScopedReadOnlyViewSet):
    """行政执法监督意见书：由问题印发（编号、docx/pdf、整改期限、通知被监督单位）；
    被监督单位报送整改报告（须附佐证）；监督单位认可或说明理由不予认可；认可后方可办结。
    流转：`POST …/{id}/transitions/` {action: accept|reject|close, reason, version}。"""

    queryset = OpinionLetter.objects.all()
    serializer_class = LetterSerializer
    filterset_class = filters.LetterFilter
    select_related = ("org",)
    workflow = LETTER

    def get_queryset(self):
        return super().get_queryset().prefetch_related("findings", "reports__files").order_by("-issued_on", "-id")

    @extend_schema(request=LetterInSerializer, responses={201: LetterSerializer})
    def create(self, request, *args, **kwargs):
        ser = LetterInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        ids = list(dict.fromkeys(d.pop("findings")))
        findings = list(Finding.objects.visible_to(request.user).filter(pk__in=ids).select_related("org"))
        if len(findings) != len(ids):
            raise DomainError("问题不存在或不在您的范围内。", {"findings": ["问题不存在或不在您的范围内"]})
        letter = services.issue_letter(actor=request.user, findings=findings, **d)
        return Response(LetterSerializer(letter).data, status=201)

    @extend_schema(request=TransitionRequestSerializer)
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, pk=None):
        obj = self.get_object()
        ser = TransitionRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        obj = services.letter_transition(actor=request.user, letter=obj, action=d["action"], reason=d["reason"],
                                         on=d.get("on"), expected_version=d.get("version"))
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=ReportInSerializer, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        obj = self.get_object()
        ser = ReportInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        obj = services.submit_rectification(actor=request.user, letter=obj, content=d["content"],
                                            evidence=d["evidence"], files=d["files"], on=d["on"],
                                            expected_version=d["version"])
        return Response(self.get_serializer(obj).data)


# --- 三项制度 ---------------------------------------------------------------------------------

class CheckCellSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    ok = serializers.IntegerField()
    fail = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class ThreeSystemsRowSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    org_name = serializers.CharField()
    publicity = CheckCellSerializer()
    records = CheckCellSerializer()
    review = CheckCellSerializer()


class ThreeSystemsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    rows = ThreeSystemsRowSerializer(many=True)
    totals = serializers.DictField(child=CheckCellSerializer())


class FailingCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_no = serializers.CharField()
    title = serializers.CharField()
    org = serializers.IntegerField(source="org_id")
    org_name = serializers.CharField(source="org.name")
    decided_on = serializers.DateField(allow_null=True)
    published_on = serializers.DateField(allow_null=True)
    legal_review_result = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("enforcement:case_detail", args=[obj.pk])


_PERIOD_PARAMS = [
    OpenApiParameter("start", str, description="开始日期 YYYY-MM-DD（默认本年 1 月 1 日）"),
    OpenApiParameter("end", str, description="结束日期 YYYY-MM-DD（默认今天）"),
    OpenApiParameter("org", int, description="单位（含下级），须在本人范围内"),
]


@extend_schema(parameters=_PERIOD_PARAMS, responses={200: ThreeSystemsSerializer})
@api_view(["GET"])
def three_systems(request):
    """三项制度落实情况：各单位公示按时率、全过程记录完整率、应审核决定的法制审核率。"""
    from .checks import three_systems as compute
    from .views import period_and_org

    start, end, org = period_and_org(request)
    return Response(ThreeSystemsSerializer(compute(request.user, start, end, org)).data)


@extend_schema(parameters=_PERIOD_PARAMS + [
    OpenApiParameter("check", str, required=True, enum=["publicity", "records", "review"])],
    responses={200: FailingCaseSerializer(many=True)})
@api_view(["GET"])
def three_systems_failing(request):
    """某项检查未达标的案件（分页），每件附执法案件详情链接。"""
    from rest_framework.pagination import PageNumberPagination

    from .checks import failing_cases
    from .views import period_and_org

    start, end, org = period_and_org(request)
    qs = failing_cases(request.user, request.GET.get("check", ""), start, end, org)
    paginator = PageNumberPagination()
    paginator.page_size = 50
    page = paginator.paginate_queryset(qs, request)
    return paginator.get_paginated_response(FailingCaseSerializer(page, many=True).data)


# --- escalation, decisions --------------------------------------------------------------------

class DecisionSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        from .models import SupervisionDecision

        model = SupervisionDecision
        fields = ["id", "org", "org_name", "issuer", "letter", "kind", "kind_label", "reasons", "requirements",
                  "issued_on", "due", "due_provisional", "doc_number", "document", "state", "state_label", "fulfilment", "fulfilled_on",
                  "version"]


class EscalateInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("perform", "限期履行"), ("correct", "限期纠正"), ("revoke", "撤销"),
                                            ("confirm_illegal", "确认违法或无效")])
    reasons = serializers.CharField(max_length=10000)
    requirements = serializers.CharField(max_length=10000)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class FulfilInSerializer(serializers.Serializer):
    fulfilment = serializers.CharField(max_length=10000)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


@extend_schema(request=EscalateInSerializer, responses={201: DecisionSerializer})
@api_view(["POST"])
def letter_escalate(request, pk):
    """逾期未整改或整改报告未予认可的意见书升级为行政执法监督决定书（编号、docx/pdf、履行期限、通知被监督单位）。"""
    from django.shortcuts import get_object_or_404

    letter = get_object_or_404(OpinionLetter.objects.visible_to(request.user), pk=pk)
    ser = EscalateInSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    d = ser.validated_data
    dec = services.escalate_letter(actor=request.user, letter=letter, kind=d["kind"], reasons=d["reasons"],
                                   requirements=d["requirements"], on=d["on"], expected_version=d["version"])
    return Response(DecisionSerializer(dec).data, status=201)


class NoticeEscalateInSerializer(serializers.Serializer):
    reasons = serializers.CharField(max_length=2000)
    requirements = serializers.CharField(max_length=10000)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


@extend_schema(request=NoticeEscalateInSerializer, responses={201: LetterSerializer})
@api_view(["POST"])
def notice_escalate(request, pk):
    """逾期未整改或整改报告未予认可的行政执法监督通知书升级为意见书（同一批未整改问题，新的文号、文书和整改期限）。"""
    from django.shortcuts import get_object_or_404

    letter = get_object_or_404(OpinionLetter.objects.visible_to(request.user), pk=pk)
    ser = NoticeEscalateInSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    d = ser.validated_data
    opinion = services.escalate_notice(actor=request.user, letter=letter, reasons=d["reasons"],
                                       requirements=d["requirements"], title=d["title"], on=d["on"],
                                       expected_version=d["version"])
    return Response(LetterSerializer(opinion).data, status=201)


class DecisionViewSet(ScopedReadOnlyViewSet):
    """行政执法监督决定书：由意见书升级产生；监督单位确认履行。"""

    from .models import SupervisionDecision

    queryset = SupervisionDecision.objects.all()
    serializer_class = DecisionSerializer
    filterset_class = filters.DecisionFilter
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("-issued_on", "-id")

    @extend_schema(request=FulfilInSerializer, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        dec = self.get_object()
        ser = FulfilInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        dec = services.fulfil_decision(actor=request.user, decision=dec, fulfilment=d["fulfilment"], on=d["on"],
                                       expected_version=d["version"])
        return Response(DecisionSerializer(dec).data)


# --- finding marks, notices, typical cases ----------------------------------------------------

class MarkInSerializer(serializers.Serializer):
    is_major = serializers.BooleanField(required=False, allow_null=True, default=None)
    typical = serializers.BooleanField(required=False, allow_null=True, default=None)
    public_summary = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None,
                                           max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


@extend_schema(request=MarkInSerializer, responses={200: FindingSerializer})
@api_view(["POST"])
def finding_mark(request, pk):
    """标记问题：重大问题（is_major，供问责模块启动倒查）、典型案例（typical，须附公开摘要，个人信息自动脱敏）。"""
    from django.shortcuts import get_object_or_404

    f = get_object_or_404(Finding.objects.visible_to(request.user), pk=pk)
    ser = MarkInSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    d = ser.validated_data
    f = services.mark_finding(actor=request.user, finding=f, is_major=d["is_major"], typical=d["typical"],
                              public_summary=d["public_summary"], expected_version=d["version"])
    return Response(FindingSerializer(f).data)


class NoticeSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        from .models import Notice

        model = Notice
        fields = ["id", "org", "title", "period_start", "period_end", "body", "findings", "state", "state_label",
                  "issued_on", "doc_number", "document", "version"]


class NoticeInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    findings = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=ID_MAX), min_length=1, max_length=500)
    body = serializers.CharField(required=False, allow_blank=True, default="", max_length=50000,
                                 help_text="留空则按所选问题生成草稿")
    period_start = serializers.DateField(required=False, allow_null=True, default=None)
    period_end = serializers.DateField(required=False, allow_null=True, default=None)


class NoticeEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class NoticeIssueSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class NoticeViewSet(ScopedReadOnlyViewSet):
    """通报：由所选问题生成草稿，修改后印发（编号、docx/pdf）。"""

    from .models import Notice

    queryset = Notice.objects.all()
    serializer_class = NoticeSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("findings").order_by("-created_at", "-id")

    @extend_schema(request=NoticeInSerializer, responses={201: NoticeSerializer})
    def create(self, request, *args, **kwargs):
        ser = NoticeInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        ids = list(dict.fromkeys(d.pop("findings")))
        findings = list(Finding.objects.visible_to(request.user).filter(pk__in=ids).select_related("org"))
        if len(findings) != len(ids):
            raise DomainError("问题不存在或不在您的范围内。", {"findings": ["问题不存在或不在您的范围内"]})
        n = services.create_notice(actor=request.user, findings=findings, **d)
        return Response(NoticeSerializer(n).data, status=201)

    @extend_schema(request=NoticeEditSerializer, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        n = self.get_object()
        ser = NoticeEditSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        n = services.edit_notice(actor=request.user, notice=n, title=d["title"], body=d["body"],
                                 expected_version=d["version"])
        return Response(NoticeSerializer(n).data)

    @extend_schema(request=NoticeIssueSerializer, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        n = self.get_object()
        ser = NoticeIssueSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        n = services.issue_notice(actor=request.user, notice=n, on=d["on"], expected_version=d["version"])
        return Response(NoticeSerializer(n).data)


# --- statistics -------------------------------------------------------------------------------

def _api_drill(start, end, org_id=None) -> dict:
    """The API lists (with their filter parameters) each figure drills down to."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from .models import FindingCategory, FindingSource

    base = {"start": start.isoformat(), "end": end.isoformat(), **({"org": org_id} if org_id else {})}

    def url(name, **extra):
        return f"{reverse(name)}?{urlencode({**base, **extra})}"

    return {
        "inspections": url("supervision-inspection-list"),
        "special_inspections": url("supervision-inspection-list", kind="special"),
        "findings": url("supervision-finding-list"),
        "findings_corrected": url("supervision-finding-list", corrected="true"),
        "findings_major": url("supervision-finding-list", is_major="true"),
        "letters_issued": url("supervision-letter-list"),
        "letters_rectified": url("supervision-letter-list", rectified="true"),
        "letters_open": url("supervision-letter-list", open="true"),
        "decisions_issued": url("supervision-decision-list"),
        "clues_raised": url("supervision-clue-list"),
        "clues_confirmed": url("supervision-clue-list", state="confirmed"),
        "clues_dismissed": url("supervision-clue-list", state="dismissed"),
        "category": {c: url("supervision-finding-list", category=c) for c in FindingCategory.values},
        "source": {c: url("supervision-finding-list", source=c) for c in FindingSource.values},
    }


@extend_schema(parameters=_PERIOD_PARAMS, responses={200: {"type": "object"}})
@api_view(["GET"])
def statistics(request):
    """行政执法监督统计：总体（metrics）、分单位（units），每个数字附下钻列表接口地址（drill）。"""
    from .statistics import per_unit, supervision_metrics
    from .views import period_and_org

    start, end, org = period_and_org(request)
    units = per_unit(request.user, start, end, org)
    for r in units:
        r["drill"] = _api_drill(start, end, r["org"])
    return Response({"metrics": supervision_metrics(user=request.user, org=org, start=start, end=end),
                     "drill": _api_drill(start, end, org.pk if org else None), "units": units})


# --- 督办 -----------------------------------------------------------------------------------

class UrgingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    issuer_org_name = serializers.CharField(source="issuer_org.name", read_only=True)
    case_no = serializers.CharField(source="case.case_no", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Urging
        fields = ["id", "org", "org_name", "case", "case_no", "issuer_org", "issuer_org_name", "issued_on",
                  "instruction", "due", "due_provisional", "state", "state_label", "reply", "replied_on", "version"]


class UrgingInSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="已超期的在办案件", min_value=1, max_value=ID_MAX)
    instruction = serializers.CharField(max_length=2000, help_text="督办要求")


class UrgingReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=4000, help_text="办理情况")
    version = serializers.IntegerField(required=False, help_text="读取时的版本号；不一致时返回 409")


class UrgingViewSet(ScopedReadOnlyViewSet):
    """督办：监督员对已超期的在办案件督办承办单位（回复期限按规则 supervision.urging_reply 计算），
    承办单位书面回复后办结。"""

    queryset = Urging.objects.all()
    serializer_class = UrgingSerializer
    select_related = ("org", "issuer_org", "case")

    def get_queryset(self):
        qs = super().get_queryset().order_by("-issued_on", "-id")
        case = self.request.query_params.get("case")
        return qs.filter(case_id=case) if case and case.isdigit() else qs

    @extend_schema(request=UrgingInSerializer, responses={201: UrgingSerializer})
    def create(self, request, *args, **kwargs):
        from django.http import Http404

        from yifa.enforcement.models import Case

        ser = UrgingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        case = Case.objects.visible_to(request.user).filter(pk=ser.validated_data["case"]).first()
        if case is None:
            raise Http404
        u = services.urge_case(actor=request.user, case=case, instruction=ser.validated_data["instruction"])
        return Response(UrgingSerializer(u).data, status=201)

    @extend_schema(request=UrgingReplySerializer, responses={200: UrgingSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        u = self.get_object()
        ser = UrgingReplySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        u = services.reply_urging(actor=request.user, urging=u, reply=ser.validated_data["reply"],
                                  version=ser.validated_data.get("version"))
        return Response(UrgingSerializer(u).data)
