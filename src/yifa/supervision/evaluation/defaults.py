"""The default scoring sheet shipped with the platform — a LOCAL DEFAULT drawn from common
行政执法案卷评查标准 practice (行政处罚案卷评查), not a verified provincial standard. It is
seeded by a data migration, marked `is_local_default`, and editable in the UI and admin
(sheets differ by locality: LEGAL_RULES.md "Case-file evaluation")."""

DEFAULT_SHEET_NAME = "行政执法案卷评查标准（本地默认）"
DEFAULT_SHEET_DESCRIPTION = (
    "本地默认评查标准，依据行政执法案卷评查通行做法整理，未经本地核实；请按本省（市）评查标准修改。"
    "满分 100 分，按项扣分，扣完为止；存在否决项的案卷直接评为不合格。"
    "90 分以上为优秀，70 分以上为合格，70 分以下为不合格。")

# (code, category, text, max deduction, veto, objective check)
DEFAULT_ITEMS = [
    ("L1", "filing", "立案审批手续不全（无立案审批表或负责人未签署意见）", "5", False, ""),
    ("L2", "filing", "案卷材料不完整，缺少应当归档的文书或证据材料", "5", False, ""),
    ("L3", "filing", "卷内文书排列顺序混乱、未编页码或卷内目录不全", "2", False, ""),
    ("L4", "filing", "案卷封面、备考表填写不完整", "2", False, ""),
    ("L5", "filing", "未在规定期限内立卷归档", "2", False, ""),
    ("S1", "substance", "执法主体不合法或超越法定职权", "0", True, ""),
    ("S2", "substance", "认定事实不清、主要证据不足", "0", True, ""),
    ("S3", "substance", "适用法律、法规、规章错误", "0", True, ""),
    ("S4", "substance", "证据收集不符合法定要求（无取证人、当事人签名或未注明来源）", "8", False, ""),
    ("S5", "substance", "违法行为定性不准确", "8", False, ""),
    ("S6", "substance", "未按裁量基准行使裁量权，处罚明显不当且未说明理由", "10", False, ""),
    ("P1", "procedure", "执法人员少于两人或未持有效执法证件", "0", True, "two_officers"),
    ("P2", "procedure", "未告知当事人陈述、申辩权（或依法应告知的听证权）", "0", True, ""),
    ("P3", "procedure", "应当进行法制审核而未审核即作出决定", "0", True, "missing_legal_review"),
    ("P4", "procedure", "超过法定期限办案（超期办案）", "5", False, "late_steps"),
    ("P5", "procedure", "送达回证缺失或送达程序不合法", "5", False, "missing_service_receipt"),
    ("P6", "procedure", "执法全过程记录缺失（现场检查、调查取证无音像或文字记录）", "5", False, "missing_records"),
    ("P7", "procedure", "询问笔录、现场检查笔录制作不规范", "3", False, ""),
    ("P8", "procedure", "未按规定公示行政执法决定", "3", False, "missing_publicity"),
    ("W1", "document", "文书不规范，格式或必备要素不全", "3", False, ""),
    ("W2", "document", "决定书未载明申请行政复议、提起行政诉讼的途径和期限", "5", False, ""),
    ("W3", "document", "文书未加盖印章、缺少签名或日期", "3", False, ""),
    ("W4", "document", "文书文字、数字、计量单位使用错误", "2", False, ""),
    ("W5", "document", "文书案号编写不规范", "1", False, ""),
]


def seed_default_sheet(ScoringSheet, SheetItem):  # noqa: N803 (historical models from the migration)
    """Create the default sheet if it is missing (idempotent: an edited sheet is kept)."""
    from decimal import Decimal

    sheet, created = ScoringSheet.objects.get_or_create(
        name=DEFAULT_SHEET_NAME,
        defaults={"description": DEFAULT_SHEET_DESCRIPTION, "excellent_min": Decimal("90"),
                  "pass_min": Decimal("70"), "is_local_default": True, "is_active": True})
    if not created and SheetItem.objects.filter(sheet=sheet).exists():
        return sheet
    SheetItem.objects.bulk_create([
        SheetItem(sheet=sheet, code=code, category=cat, text=text, max_points=Decimal(points), is_veto=veto,
                  check_code=check, sort_order=i * 10)
        for i, (code, cat, text, points, veto, check) in enumerate(DEFAULT_ITEMS, start=1)])
    return sheet
