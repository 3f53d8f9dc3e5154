from rest_framework import serializers

from .models import DeadlineRule, DueStatus, TrackedDeadline, Unit


class ComputeQuerySerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则代码，如 penalty.decision")
    start = serializers.DateField(help_text="起算日 YYYY-MM-DD（当日不计入）", input_formats=["%Y-%m-%d"])
    org = serializers.IntegerField(required=False, help_text="单位 ID：适用该单位或上级单位的特别规定")
    strict = serializers.BooleanField(required=False, default=False,
                                      help_text="严格模式：期限跨入尚未录入完整放假安排的年度时返回 400（指明年份），而不给出暂定日期")

    def validate_rule(self, value):
        if not DeadlineRule.objects.filter(code=value).exists():
            raise serializers.ValidationError(f"未知的期限规则：{value}")
        return value


class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()
    reason = serializers.ChoiceField(choices=["non_working", "suspended"])


class ComputeResultSerializer(serializers.Serializer):
    rule = serializers.CharField()
    start = serializers.DateField()
    due = serializers.DateField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    n = serializers.IntegerField()
    basis = serializers.CharField()
    provisional = serializers.BooleanField(help_text="届满日是否为暂定（跨入尚未录入完整放假安排的年度）")
    waiting_for_year = serializers.IntegerField(allow_null=True, help_text="暂定时：等待录入放假安排的年度")
    skipped_days = SkippedDaySerializer(many=True, help_text="跳过的非工作日（含名称）")


class DeadlineRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineRule
        fields = ["code", "name", "n", "unit", "direction", "basis", "extension_n", "extensions_allowed",
                  "suspensions_apply", "is_local_default"]


class TrackedDeadlineSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code", read_only=True)
    due_status = serializers.ChoiceField(choices=DueStatus.choices, read_only=True,
                                         help_text="相对今天：normal 正常 / yellow 临期 / red 超期 / suspended / closed")

    class Meta:
        model = TrackedDeadline
        fields = ["id", "org", "owner_type", "owner_id", "rule", "title", "handler", "start", "n", "unit", "due",
                  "yellow_from", "provisional", "waiting_for_year", "state", "due_status", "citation", "closed_on",
                  "version"]
