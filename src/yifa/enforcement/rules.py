"""Thresholds the law and local rules set (LEGAL_RULES.md "Thresholds"), configurable
through settings. Each guard message names the rule it rests on."""

from decimal import Decimal

from django.conf import settings

RULE_TWO_OFFICERS = "《行政处罚法》第四十二条；国办发〔2018〕118号"
RULE_LEGAL_REVIEW = "《行政处罚法》第五十八条"
RULE_NOTICE = "《行政处罚法》第四十四条、第六十二条"
RULE_HEARING = "《行政处罚法》第六十三条、第六十四条"
RULE_DISCRETION = "执法事项裁量基准（《行政处罚法》第三十四条）"
RULE_SUMMARY = "《行政处罚法》第五十一条"
RULE_PUBLICITY_WITHDRAW = "《行政处罚法》第四十八条"
RULE_PAYMENT = "《行政处罚法》第六十七条"
RULE_ONSITE = "《行政处罚法》第六十八条、第六十九条、第七十一条"

DEFAULTS = {
    # 法制审核 thresholds (local defaults, LEGAL_RULES.md): fines at or above these amounts
    "review_fine_individual": Decimal("10000"),
    "review_fine_organisation": Decimal("50000"),
    # 简易程序 limits (行政处罚法 art. 51)
    "summary_fine_individual": Decimal("200"),
    "summary_fine_organisation": Decimal("3000"),
    # 当场收缴 (行政处罚法 art. 68 (1)): a fine of 100 yuan or less may be collected on the spot
    "onsite_collection": Decimal("100"),
}


def threshold(name: str) -> Decimal:
    overrides = getattr(settings, "YIFA_ENFORCEMENT_THRESHOLDS", {}) or {}
    return Decimal(str(overrides.get(name, DEFAULTS[name])))


def max_upload_bytes() -> int:
    return int(getattr(settings, "YIFA_ENFORCEMENT_MAX_UPLOAD_MB", 200)) * 1024 * 1024
