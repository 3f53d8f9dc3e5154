"""API under /api/v1/accountability/. Reads go through `visible_to` (an individual's record
through the narrower person scope); writes call the services."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from yifa.core import clock
from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization

from . import selectors, services
from .models import (Check, CheckKind, Circumstance, Decision, EducationSession, ExemptionReason, FaultShare,
                     Involvement, Litigation, Method, Notice, Outcome, OutcomeForm, Person, PersonRole, Problem, ProblemCategory,
                     Recommendation, Reconsideration, WrongCase)


class IdField(serializers.IntegerField):
    """A record id: positive and within the database's integer range."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**62)
        super().__init__(**kwargs)


def _org(user, pk, field="org"):
    root = user.scope_root
    org = Organization.objects.filter(pk=pk, path__startswith=root.path).first() if root else None
    if org is None:
        raise DomainError("单位不存在或不在您的范围内。", {field: ["单位不存在或不在您的范围内。"]})
    return org


def _visible(model, user, pk, field):
    if pk is None:
        return None
    obj = model.objects.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise DomainError("记录不存在或不在您的范围内。", {field: ["不存在或不在您的范围内"]})
    return obj


def _ref(model, pk, field):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError("目录项不存在。", {field: ["不存在"]})
    return obj


# --- registry -----------------------------------------------------------------------------------

CHALLENGE_FIELDS = ["id", "org", "org_name", "case_number", "claimant", "third_parties", "enforcement_case",
                    "challenged_act", "filed_on", "applied_on", "known_on", "remedy_notified", "filing_limit",
                    "served_on", "defence_submitted_on", "outcome", "outcome_label",
                    "outcome_on", "outcome_number", "act_changed", "effective_outcome", "effective_outcome_label",
                    "effective_on", "note", "version"]


def _in_list(serializer) -> bool:
    view = serializer.context.get("view")
    return getattr(view, "action", None) == "list"


def _filing_limit_data(serializer, obj):
    """The claimant's time limit and whether it was kept (detail only: it asks the deadline
    engine, so a list leaves it out)."""
    if _in_list(serializer):
        return None
    f = selectors.filing_limit(obj)
    return {"rule": f.rule, "label": f.label, "start": f.start, "due": f.due, "provisional": f.provisional,
            "applied_on": f.applied_on, "late": f.late, "text": f.text}


class _FilingLimitOut:
    def to_representation(self, obj):
        data = super().to_representation(obj)
        if _in_list(self):
            data.pop("filing_limit", None)
        return data

    def get_filing_limit(self, obj):
        return _filing_limit_data(self, obj)


class AccLitigationSerializer(_FilingLimitOut, serializers.ModelSerializer):
    filing_limit = serializers.SerializerMethodField(help_text="起诉期限及是否超过（仅详情）")
    org_name = serializers.CharField(source="org.name", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    effective_outcome_label = serializers.CharField(source="get_effective_outcome_display", read_only=True)
    instance_label = serializers.CharField(source="get_instance_display", read_only=True)
    outcome_form_label = serializers.CharField(source="get_outcome_form_display", read_only=True)
    appeal_state_label = serializers.CharField(source="get_appeal_state_display", read_only=True)
    second_outcome_label = serializers.CharField(source="get_second_outcome_display", read_only=True)

    class Meta:
        model = Litigation
        fields = CHALLENGE_FIELDS + ["court", "reconsideration_decision_on", "instance", "instance_label", "hearing_on", "head_appeared",
                                     "head_name", "head_post", "head_absence_reason", "outcome_form",
                                     "outcome_form_label", "outcome_served_on", "appeal_state", "appeal_state_label",
                                     "appealed_on", "appellant", "second_outcome", "second_outcome_label",
                                     "second_outcome_on", "second_outcome_number"]


class AccReconsiderationSerializer(_FilingLimitOut, serializers.ModelSerializer):
    filing_limit = serializers.SerializerMethodField(help_text="申请复议期限及是否超过（仅详情）")
    org_name = serializers.CharField(source="org.name", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    effective_outcome_label = serializers.CharField(source="get_effective_outcome_display", read_only=True)

    class Meta:
        model = Reconsideration
        fields = CHALLENGE_FIELDS + ["organ", "opinion_received_on", "simplified"]


class AccChallengeInSerializer(serializers.Serializer):
    org = IdField(help_text="被告/被申请人单位")
    case_number = serializers.CharField(max_length=80)
    claimant = serializers.CharField(max_length=200)
    third_parties = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    challenged_act = serializers.CharField(max_length=300)
    enforcement_case = IdField(required=False, allow_null=True, default=None)
    court_or_organ = serializers.CharField(max_length=120, help_text="受理法院或复议机关")
    filed_on = serializers.DateField()
    served_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    simplified = serializers.BooleanField(required=False, default=False,
                                          help_text="行政复议适用简易程序（《行政复议法》第五十三条）；行政诉讼不适用")
    applied_on = serializers.DateField(required=False, allow_null=True, default=None,
                                       help_text="起诉/申请复议日期；不填按立案/受理日期")
    known_on = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="原告/申请人知道或应当知道行政行为之日")
    remedy_notified = serializers.BooleanField(required=False, default=True,
                                               help_text="行政行为是否告知了申请复议/起诉的权利和期限")
    reconsideration_decision_on = serializers.DateField(required=False, allow_null=True, default=None,
                                                        help_text="经复议后起诉的，收到复议决定书日期")


class AccOutcomeInSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in Outcome.choices if c[0] != "pending"])
    on = serializers.DateField()
    number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    form = serializers.ChoiceField(choices=OutcomeForm.choices, required=False, default="judgment",
                                   help_text="一审裁判形式：判决（上诉期15日）或裁定（10日）")
    served_on = serializers.DateField(required=False, allow_null=True, default=None,
                                      help_text="裁判文书送达日期（上诉期起算），缺省为裁判日期")
    act_changed = serializers.BooleanField(required=False, default=False,
                                           help_text="被告改变被诉行政行为后原告撤诉（隐性败诉）")
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31)


class AccAppealInSerializer(serializers.Serializer):
    on = serializers.DateField()
    appellant = serializers.CharField(max_length=200)
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31)


class AccSecondInstanceInSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in Outcome.choices if c[0] != "pending"],
                                      help_text="二审生效后被诉行政行为的结果（维持/驳回即胜诉）")
    on = serializers.DateField()
    number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31)


class AccHearingInSerializer(serializers.Serializer):
    hearing_on = serializers.DateField()
    head_appeared = serializers.BooleanField()
    head_name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    head_post = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    absence_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                           help_text="负责人未出庭的正当理由（有正当理由不认定错案）")
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31)


class AccDateInSerializer(serializers.Serializer):
    on = serializers.DateField()
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31)


class _ChallengeViewSet(ScopedReadOnlyViewSet):
    kind = ""
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("-filed_on", "-id")

    def create(self, request, *args, **kwargs):
        from yifa.enforcement.models import Case

        ser = AccChallengeInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["org"] = _org(request.user, d["org"])
        d["enforcement_case"] = _visible(Case, request.user, d["enforcement_case"], "enforcement_case")
        obj = services.register_challenge(actor=request.user, kind=self.kind, **d)
        return Response(self.get_serializer(obj).data, status=201)

    def _outcome(self, request):
        obj = self.get_object()
        ser = AccOutcomeInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        obj = services.record_outcome(actor=request.user, challenge=obj, outcome=d["outcome"], on=d["on"],
                                      number=d["number"], form=d["form"], served_on=d["served_on"],
                                      act_changed=d["act_changed"], expected_version=d["version"])
        return Response(self.get_serializer(obj).data)

    def _defence(self, request):
        obj = self.get_object()
        ser = AccDateInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        obj = services.record_defence(actor=request.user, challenge=obj, on=ser.validated_data["on"],
                                      expected_version=ser.validated_data["version"])
        return Response(self.get_serializer(obj).data)


class LitigationViewSet(_ChallengeViewSet):
    """行政诉讼案件：登记、开庭及负责人出庭应诉（无正当理由未出庭即认定错案）、答辩、一审裁判结果、上诉、二审结果。
    以生效结果认定错案：一审裁判在上诉期届满未上诉时生效（由定期巡检处理），二审裁判即时生效；一审败诉经二审改判的不认定错案；
    被告改变行为后原告撤诉的（隐性败诉）认定错案。"""

    queryset = Litigation.objects.all()
    serializer_class = AccLitigationSerializer
    kind = "litigation"

    @extend_schema(request=AccChallengeInSerializer, responses={201: AccLitigationSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=AccOutcomeInSerializer, responses={200: AccLitigationSerializer})
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        return self._outcome(request)

    @extend_schema(request=AccDateInSerializer, responses={200: AccLitigationSerializer})
    @action(detail=True, methods=["post"])
    def defence(self, request, pk=None):
        return self._defence(request)

    @extend_schema(request=AccHearingInSerializer, responses={200: AccLitigationSerializer})
    @action(detail=True, methods=["post"])
    def hearing(self, request, pk=None):
        obj = self.get_object()
        ser = AccHearingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        obj = services.record_hearing(actor=request.user, litigation=obj, hearing_on=d["hearing_on"],
                                      head_appeared=d["head_appeared"], head_name=d["head_name"],
                                      head_post=d["head_post"], absence_reason=d["absence_reason"],
                                      expected_version=d["version"])
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=AccAppealInSerializer, responses={200: AccLitigationSerializer})
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        obj = self.get_object()
        ser = AccAppealInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        obj = services.record_appeal(actor=request.user, litigation=obj, on=d["on"], appellant=d["appellant"],
                                     expected_version=d["version"])
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=AccSecondInstanceInSerializer, responses={200: AccLitigationSerializer})
    @action(detail=True, methods=["post"], url_path="second-instance")
    def second_instance(self, request, pk=None):
        obj = self.get_object()
        ser = AccSecondInstanceInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        obj = services.record_second_instance(actor=request.user, litigation=obj, outcome=d["outcome"], on=d["on"],
                                              number=d["number"], expected_version=d["version"])
        return Response(self.get_serializer(obj).data)


class ReconsiderationViewSet(_ChallengeViewSet):
    """行政复议案件：登记、答复、行政复议意见书（开始落实期限）、复议结果（纠错即认定错案）。"""

    queryset = Reconsideration.objects.all()
    serializer_class = AccReconsiderationSerializer
    kind = "reconsideration"

    @extend_schema(request=AccChallengeInSerializer, responses={201: AccReconsiderationSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=AccOutcomeInSerializer, responses={200: AccReconsiderationSerializer})
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        return self._outcome(request)

    @extend_schema(request=AccDateInSerializer, responses={200: AccReconsiderationSerializer})
    @action(detail=True, methods=["post"])
    def defence(self, request, pk=None):
        return self._defence(request)

    @extend_schema(request=AccDateInSerializer, responses={200: AccReconsiderationSerializer})
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        obj = self.get_object()
        ser = AccDateInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        obj = services.record_opinion(actor=request.user, reconsideration=obj, on=ser.validated_data["on"],
                                      expected_version=ser.validated_data["version"])
        return Response(self.get_serializer(obj).data)


# --- wrong cases and backtracks ----------------------------------------------------------------------

class AccProblemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Problem
        fields = ["id", "kind", "category", "description", "found_on"]


class AccCheckSerializer(serializers.ModelSerializer):
    problems = AccProblemSerializer(many=True, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Check
        fields = ["id", "kind", "kind_label", "has_problem", "finding", "checked_on", "problems"]


class AccInvolvementSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Involvement
        fields = ["id", "person", "person_name", "role", "suggested", "confirmed", "fault_share", "reasons",
                  "circumstance", "proposed_method"]


class AccWrongCaseSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    trigger_label = serializers.CharField(source="get_trigger_display", read_only=True)
    backtrack = serializers.SerializerMethodField()

    class Meta:
        model = WrongCase
        fields = ["id", "org", "org_name", "trigger", "trigger_label", "litigation", "reconsideration", "finding",
                  "enforcement_case", "title", "opened_on", "state", "closed_on", "withdrawn_on", "withdrawn_reason",
                  "is_typical", "backtrack",
                  "version"]

    def get_backtrack(self, obj) -> dict | None:
        bt = getattr(obj, "backtrack", None) if hasattr(obj, "backtrack") else None
        if bt is None:
            return None
        return {"id": bt.pk, "state": bt.state, "started_on": bt.started_on, "due": bt.due,
                "due_provisional": bt.due_provisional,
                "completed_on": bt.completed_on, "summary": bt.summary, "version": bt.version,
                "checks": AccCheckSerializer(bt.checks.all(), many=True).data,
                "involvements": AccInvolvementSerializer(bt.involvements.all(), many=True).data}


class AccProblemInSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ProblemCategory.choices)
    description = serializers.CharField(max_length=500)


class AccCheckInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CheckKind.choices)
    has_problem = serializers.BooleanField()
    finding = serializers.CharField(max_length=5000)
    problems = AccProblemInSerializer(many=True, required=False, default=list, max_length=100)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class AccConfirmInSerializer(serializers.Serializer):
    involvement = IdField()
    fault_share = serializers.ChoiceField(choices=FaultShare.choices)
    reasons = serializers.CharField(max_length=5000)
    circumstance = IdField(required=False, allow_null=True, default=None)
    proposed_method = IdField(required=False, allow_null=True, default=None)


class AccPersonInSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PersonRole.choices)
    name = serializers.CharField(max_length=40)
    post = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class AccRemoveInSerializer(serializers.Serializer):
    involvement = IdField()
    reason = serializers.CharField(max_length=300)


class AccCompleteInSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=10000)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31)


class AccRecommendInSerializer(serializers.Serializer):
    authority = serializers.CharField(max_length=120)
    feedback_due = serializers.DateField()
    on = serializers.DateField(required=False, allow_null=True, default=None)


class AccDecisionInSerializer(serializers.Serializer):
    person = IdField()
    method = IdField()
    circumstance = IdField(required=False, allow_null=True, default=None)
    authority = serializers.CharField(max_length=120)
    decided_on = serializers.DateField()
    doc_number = serializers.CharField(max_length=100)
    impact_until = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text="影响期至（政务处分须与法定影响期一致）")
    impact_basis = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AccExemptInSerializer(serializers.Serializer):
    reason = IdField()
    text = serializers.CharField(max_length=5000)


class AccFromFindingInSerializer(serializers.Serializer):
    finding = IdField()
    confirm_major = serializers.BooleanField(required=False, default=False)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AccCloseInSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31)


class AccWithdrawInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class AccRecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "org", "issuer", "wrong_case", "authority", "issued_on", "feedback_due", "doc_number",
                  "document"]


class AccDecisionSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    method_code = serializers.CharField(source="method.code", read_only=True)
    method_name = serializers.CharField(source="method.name", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "org", "wrong_case", "person", "person_name", "method", "method_code", "method_name",
                  "circumstance", "authority", "decided_on", "doc_number", "impact_from", "impact_until",
                  "impact_basis", "recommendation"]


class WrongCaseViewSet(ScopedReadOnlyViewSet):
    """错案：由诉讼败诉、复议纠错、负责人未出庭自动认定（每一结果只认定一次），或由监督员从重大监督问题认定；
    倒查（四查、涉及人员及责任划分、完成）；错案问责建议书；问责决定；免责；办结（须有问责决定或免责认定）。"""

    queryset = WrongCase.objects.all()
    serializer_class = AccWrongCaseSerializer
    select_related = ("org", "backtrack")

    def get_queryset(self):
        return (super().get_queryset().prefetch_related("backtrack__checks__problems", "backtrack__involvements__person")
                .order_by("-opened_on", "-id"))

    def _bt(self):
        return self.get_object().backtrack

    def _out(self, pk):
        return Response(AccWrongCaseSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=AccFromFindingInSerializer, responses={201: AccWrongCaseSerializer})
    def create(self, request, *args, **kwargs):
        from yifa.supervision.models import Finding

        ser = AccFromFindingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["finding"] = _visible(Finding, request.user, d["finding"], "finding")
        wc = services.open_from_finding(actor=request.user, **d)
        return Response(AccWrongCaseSerializer(wc).data, status=201)

    @extend_schema(request=AccCheckInSerializer, responses={200: AccWrongCaseSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        bt = self._bt()
        ser = AccCheckInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        services.record_check(actor=request.user, backtrack=bt, kind=d["kind"], has_problem=d["has_problem"],
                              finding=d["finding"], problems=[(p["category"], p["description"]) for p in d["problems"]],
                              on=d["on"])
        return self._out(pk)

    def _involvement(self, bt, pk):
        inv = Involvement.objects.filter(backtrack=bt, pk=pk).first()
        if inv is None:
            raise DomainError("涉及人员不存在。", {"involvement": ["不存在"]})
        return inv

    @extend_schema(request=AccConfirmInSerializer, responses={200: AccWrongCaseSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        bt = self._bt()
        ser = AccConfirmInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        services.confirm_involvement(actor=request.user, involvement=self._involvement(bt, d["involvement"]),
                                     fault_share=d["fault_share"], reasons=d["reasons"],
                                     circumstance=_ref(Circumstance, d["circumstance"], "circumstance"),
                                     proposed_method=_ref(Method, d["proposed_method"], "proposed_method"))
        return self._out(pk)

    @extend_schema(request=AccPersonInSerializer, responses={200: AccWrongCaseSerializer})
    @action(detail=True, methods=["post"], url_path="persons")
    def add_person(self, request, pk=None):
        bt = self._bt()
        ser = AccPersonInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.add_involvement(actor=request.user, backtrack=bt, **ser.validated_data)
        return self._out(pk)

    @extend_schema(request=AccRemoveInSerializer, responses={200: AccWrongCaseSerializer})
    @action(detail=True, methods=["post"], url_path="remove-person")
    def remove_person(self, request, pk=None):
        bt = self._bt()
        ser = AccRemoveInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        services.remove_involvement(actor=request.user, involvement=self._involvement(bt, d["involvement"]),
                                    reason=d["reason"])
        return self._out(pk)

    @extend_schema(request=AccCompleteInSerializer, responses={200: AccWrongCaseSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        bt = self._bt()
        ser = AccCompleteInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        services.complete_backtrack(actor=request.user, backtrack=bt, summary=d["summary"], on=d["on"],
                                    expected_version=d["version"])
        return self._out(pk)

    @extend_schema(request=AccRecommendInSerializer, responses={201: AccRecommendationSerializer})
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        wc = self.get_object()
        ser = AccRecommendInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rec = services.issue_recommendation(actor=request.user, wrong_case=wc, **ser.validated_data)
        return Response(AccRecommendationSerializer(rec).data, status=201)

    @extend_schema(request=AccDecisionInSerializer, responses={201: AccDecisionSerializer})
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        wc = self.get_object()
        ser = AccDecisionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        person = Person.objects.filter(pk=d.pop("person"), involvements__backtrack__wrong_case=wc).first()
        if person is None:
            raise DomainError("被问责人须为该错案倒查确认的人员。", {"person": ["不是该错案的涉及人员"]})
        method = _ref(Method, d.pop("method"), "method")
        if method is None:
            raise DomainError("请选择问责方式。", {"method": ["必填"]})
        dec = services.record_decision(actor=request.user, person=person, method=method, wrong_case=wc,
                                       circumstance=_ref(Circumstance, d.pop("circumstance"), "circumstance"),
                                       recommendation=wc.recommendations.order_by("-id").first(), **d)
        return Response(AccDecisionSerializer(dec).data, status=201)

    @extend_schema(request=AccExemptInSerializer, responses={200: AccWrongCaseSerializer})
    @action(detail=True, methods=["post"])
    def exempt(self, request, pk=None):
        wc = self.get_object()
        ser = AccExemptInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        services.record_exemption(actor=request.user, wrong_case=wc,
                                  reason=_ref(ExemptionReason, d["reason"], "reason"), text=d["text"])
        return self._out(pk)

    @extend_schema(request=AccCloseInSerializer, responses={200: AccWrongCaseSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        wc = self.get_object()
        ser = AccCloseInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.close_wrong_case(actor=request.user, wrong_case=wc, on=ser.validated_data["on"],
                                  expected_version=ser.validated_data["version"])
        return self._out(pk)

    @extend_schema(request=AccWithdrawInSerializer, responses={200: AccWrongCaseSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        wc = self.get_object()
        ser = AccWithdrawInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.withdraw_wrong_case(actor=request.user, wrong_case=wc, reason=ser.validated_data["reason"],
                                     on=ser.validated_data["on"])
        return self._out(pk)


class RecommendationViewSet(ScopedReadOnlyViewSet):
    """错案问责建议书（编号公文，docx/pdf 通过页面下载）。"""

    queryset = Recommendation.objects.all()
    serializer_class = AccRecommendationSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("-issued_on", "-id")


# --- persons and decisions -------------------------------------------------------------------------

class AccPersonSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "org", "org_name", "name", "post", "officer", "user"]


class AccRestrictionSerializer(serializers.Serializer):
    promotion = serializers.BooleanField()
    title_evaluation = serializers.BooleanField()
    commendation = serializers.BooleanField()
    until = serializers.DateField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class AccMarkInSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    grade = serializers.ChoiceField(choices=[("excellent", "优秀"), ("competent", "称职"), ("basic", "基本称职"),
                                             ("incompetent", "不称职")])
    reason = serializers.CharField(max_length=300)


class AccTitleLossInSerializer(serializers.Serializer):
    from_date = serializers.DateField()
    until = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class PersonViewSet(ScopedReadOnlyViewSet):
    """个人问责记录（仅监督员、所在单位领导和本人可见）；`restriction` 查询某日是否处于影响期限制。"""

    queryset = Person.objects.all()
    serializer_class = AccPersonSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("org__path", "name", "id")

    @extend_schema(parameters=[OpenApiParameter("on", str, description="日期 YYYY-MM-DD（默认今天）")],
                   responses={200: AccRestrictionSerializer})
    @action(detail=True, methods=["get"])
    def restriction(self, request, pk=None):
        p = self.get_object()
        on = request.query_params.get("on")
        try:
            on = date.fromisoformat(on) if on else clock.today()
        except ValueError as exc:
            raise DomainError("日期格式不正确。", {"on": ["应为 YYYY-MM-DD"]}) from exc
        return Response(AccRestrictionSerializer(services.restriction_on(p, on)).data)

    @extend_schema(request=AccMarkInSerializer, responses={201: AccPersonSerializer})
    @action(detail=True, methods=["post"], url_path="assessment-marks")
    def assessment_marks(self, request, pk=None):
        p = self.get_object()
        ser = AccMarkInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.record_assessment_mark(actor=request.user, person=p, **ser.validated_data)
        return Response(AccPersonSerializer(p).data, status=201)

    @extend_schema(request=AccTitleLossInSerializer, responses={201: AccPersonSerializer})
    @action(detail=True, methods=["post"], url_path="title-losses")
    def title_losses(self, request, pk=None):
        p = self.get_object()
        ser = AccTitleLossInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.record_title_loss(actor=request.user, person=p, **ser.validated_data)
        return Response(AccPersonSerializer(p).data, status=201)


class DecisionViewSet(ScopedReadOnlyViewSet):
    """问责决定（个人记录范围）。"""

    queryset = Decision.objects.all()
    serializer_class = AccDecisionSerializer
    select_related = ("person", "method")

    def get_queryset(self):
        return super().get_queryset().order_by("-decided_on", "-id")


# --- notices, sessions, catalogues, statistics ----------------------------------------------------------

class AccNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "org", "year", "quarter", "title", "figures", "typical_cases", "requirements", "issued_on",
                  "doc_number", "document"]


class AccNoticeInSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    typical_cases = serializers.ListField(child=IdField(), required=False, default=list,
                                          max_length=50)
    requirements = serializers.CharField(max_length=10000)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class NoticeViewSet(ScopedReadOnlyViewSet):
    """季度错案通报：由本季度记录生成数据，典型案例由用户选择。"""

    queryset = Notice.objects.all()
    serializer_class = AccNoticeSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("typical_cases").order_by("-year", "-quarter", "-id")

    @extend_schema(request=AccNoticeInSerializer, responses={201: AccNoticeSerializer})
    def create(self, request, *args, **kwargs):
        ser = AccNoticeInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        ids = list(dict.fromkeys(d.pop("typical_cases")))
        cases = list(WrongCase.objects.visible_to(request.user).filter(pk__in=ids).select_related("org"))
        if len(cases) != len(ids):
            raise DomainError("典型案例不存在或不在您的范围内。", {"typical_cases": ["不存在或不在范围内"]})
        n = services.issue_notice(actor=request.user, typical_cases=cases, **d)
        return Response(AccNoticeSerializer(n).data, status=201)


class AccSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EducationSession
        fields = ["id", "org", "title", "kind", "held_on", "units", "attendance", "wrong_cases"]


class AccSessionInSerializer(serializers.Serializer):
    org = IdField()
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=[("warning", "警示教育"), ("training", "专题培训")], default="warning")
    held_on = serializers.DateField()
    attendance = serializers.IntegerField(min_value=1, max_value=1000000)
    units = serializers.ListField(child=IdField(), required=False, default=list, max_length=200)
    wrong_cases = serializers.ListField(child=IdField(), required=False, default=list,
                                        max_length=200)


class SessionViewSet(ScopedReadOnlyViewSet):
    """错案警示教育、专题培训（日期、参加单位、人次）。"""

    queryset = EducationSession.objects.all()
    serializer_class = AccSessionSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("units", "wrong_cases").order_by("-held_on", "-id")

    @extend_schema(request=AccSessionInSerializer, responses={201: AccSessionSerializer})
    def create(self, request, *args, **kwargs):
        ser = AccSessionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["org"] = _org(request.user, d["org"])
        d["units"] = [_org(request.user, u, "units") for u in dict.fromkeys(d["units"])]
        ids = list(dict.fromkeys(d["wrong_cases"]))
        d["wrong_cases"] = list(WrongCase.objects.visible_to(request.user).filter(pk__in=ids))
        if len(d["wrong_cases"]) != len(ids):
            raise DomainError("错案不存在或不在您的范围内。", {"wrong_cases": ["不存在或不在范围内"]})
        s = services.record_session(actor=request.user, **d)
        return Response(AccSessionSerializer(s).data, status=201)


class AccMethodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Method
        fields = ["id", "code", "name", "group", "impact_months", "impact_citation", "custom_impact",
                  "restricts_promotion", "restricts_title", "restricts_commendation", "restriction_basis"]


class AccCircumstanceSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Circumstance
        fields = ["id", "code", "name", "category", "category_name", "is_local_default", "is_active"]


@extend_schema(responses={200: {"type": "object"}})
@api_view(["GET"])
def catalogue(request):
    """问责情形（7类28项，本地默认）、问责方式及影响期（含依据）、免责情形。"""
    return Response({
        "circumstances": AccCircumstanceSerializer(Circumstance.objects.select_related("category"), many=True).data,
        "methods": AccMethodSerializer(Method.objects.all(), many=True).data,
        "exemption_reasons": [{"id": e.pk, "code": e.code, "name": e.name, "is_local_default": e.is_local_default}
                              for e in ExemptionReason.objects.all()],
    })


def _period(request):
    today = clock.today()
    try:
        start = date.fromisoformat(request.query_params.get("start") or f"{today.year}-01-01")
        end = date.fromisoformat(request.query_params.get("end") or today.isoformat())
    except ValueError as exc:
        raise DomainError("日期格式不正确。", {"start": ["应为 YYYY-MM-DD"]}) from exc
    return start, end


@extend_schema(parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)],
               responses={200: {"type": "object"}})
@api_view(["GET"])
def stats(request):
    """本人范围内错案问责统计：合计及各单位（倒查来源、四查问题、建议书、问责人数、影响期内人数、警示教育）。"""
    start, end = _period(request)
    root = request.user.scope_root
    if root is None:
        return Response({"start": start, "end": end, "total": None, "units": []})
    rows = selectors.stats_by_unit(request.user, start, end)
    return Response({"start": start, "end": end, "total": selectors.accountability_metrics(root, start, end),
                     "units": [{**{k: v for k, v in r.items() if k != "org"}, "org": r["org"].pk,
                                "org_name": r["org"].name} for r in rows]})
