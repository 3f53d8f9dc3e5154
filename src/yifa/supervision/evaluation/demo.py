"""Demo data: three concluded county-wide evaluation campaigns (2024 and 2025 with their
案卷评查通报; the first half of 2026, whose notice is still to be issued) and one department's internal campaign being scored now.

The files are drawn from the demo's closed enforcement cases with the same sampling code
as the service (recorded seeds), the objective items are computed from the case data by
the same checks, and each file is scored with `compute_score`; the loader only chooses
which suggestions the evaluators confirm and which problems they record, aiming at the
county's reported magnitude (326 files evaluated, 127 problems found since 2022). The
printed totals are read back from the records (`evaluation_metrics`). Bulk-created."""

import random
from datetime import date, timedelta
from decimal import Decimal

from yifa.core import demo

from . import services
from .models import (Campaign, CampaignEvaluator, CampaignState, CampaignTarget, Deduction, EvaluationFile,
                     FileState, QuotaKind, SuggestionState)

PROBLEM_TARGET = 127
STRONG_CHECKS = ("late_steps", "two_officers", "missing_service_receipt", "missing_legal_review",
                 "missing_publicity")
REJECT_REASONS = {
    "missing_records": "纸质案卷中附有现场检查笔录及执法记录仪视频光盘，系统未上传，不扣分",
    "late_steps": "经核查，该案依法批准延长办案期限，未超期",
}
NOTES = {
    "L1": "立案审批表缺少负责人签批意见", "L2": "缺少当事人身份证明材料", "L3": "卷内文书未编页码",
    "L4": "备考表未填写", "L5": "结案后超过30日未归档", "S2": "仅有询问笔录，无其他证据印证违法事实",
    "S3": "援引已废止的规章条款", "S4": "现场照片未注明拍摄时间、地点和拍摄人", "S5": "违法行为定性与查明事实不一致",
    "S6": "罚款金额高于裁量基准且未说明理由", "P2": "处罚告知书未载明陈述、申辩权利",
    "P7": "询问笔录未由被询问人逐页签名", "W1": "处罚决定书缺少违法事实和证据的表述",
    "W2": "决定书未载明复议、诉讼期限", "W3": "送达回证无受送达人签名日期", "W4": "金额大小写不一致",
    "W5": "案号年份标注不规范",
}
# manual problems: (item code, weight)
MANUAL = [("L1", 8), ("L2", 10), ("L3", 7), ("L4", 5), ("L5", 4), ("S4", 8), ("S5", 3), ("S6", 6), ("P7", 9),
          ("W1", 12), ("W2", 5), ("W3", 7), ("W4", 6), ("W5", 4), ("S2", 1), ("P2", 1), ("S3", 1)]


def _campaign_plans(orgs):
    d = lambda code: orgs[f"QH-D-{code}"]  # noqa: E731
    t = lambda code: orgs[f"QH-T-{code}"]  # noqa: E731
    return [
        dict(title="2024年度全县行政执法案卷评查", period=(date(2024, 1, 1), date(2024, 12, 31)), seed=20250305,
             sampled=date(2025, 3, 5), concluded=date(2025, 4, 18), notice=date(2025, 4, 25),
             targets=[(d(c), 8) for c in ("scjg", "sthj", "zrzy", "zjj", "jtys", "nync", "yjgl", "wsjk", "ga",
                                          "zhzf")]
             + [(t(c), 5) for c in ("cg", "dongc", "nanh", "beis", "qingx", "baim")]),
        dict(title="2025年度全县行政执法案卷评查", period=(date(2025, 1, 1), date(2025, 12, 31)), seed=20260303,
             sampled=date(2026, 3, 3), concluded=date(2026, 4, 20), notice=date(2026, 4, 28),
             targets=[(d(c), 10) for c in ("scjg", "sthj", "zrzy", "zjj", "jtys", "slj", "nync", "whly", "rlzy",
                                           "zhzf")]
             + [(t(c), 5) for c in ("xic", "lius", "huangt", "shiq", "nanh", "beis")]),
        dict(title="2026年上半年行政处罚案卷专项评查", period=(date(2026, 1, 1), date(2026, 6, 30)), seed=20260810,
             sampled=date(2026, 8, 10), concluded=date(2026, 9, 18), notice=date(2026, 9, 25),
             targets=[(d(c), 6) for c in ("scjg", "sthj", "zjj", "jtys", "nync", "yjgl", "wsjk", "jyj", "lyj",
                                          "xfjy", "zhzf")]
             + [(t(c), 4) for c in ("cg", "heq", "songl", "taoy", "qingx")]),
    ]


def _campaign(org, title, period, sheet, seed, state, sampled, concluded=None, created_by=None):
    return Campaign.objects.create(org=org, title=title, period_start=period[0], period_end=period[1], sheet=sheet,
                                   state=state, seed=seed, sampled_on=sampled, concluded_on=concluded,
                                   created_by=created_by,
                                   description="按照县行政执法监督工作计划，随机抽取各单位办结案卷，"
                                               "对照评查标准逐卷评分，评查结果纳入年度法治政府建设考核。")


def _fit(campaign, targets):
    """Quotas within what each unit closed in the period (a small township may have closed
    few cases): a shortfall moves to the units with the most cases, so the campaign keeps
    its planned size."""
    probe = [CampaignTarget(campaign=campaign, org=o) for o, _n in targets]
    available = [len(services.candidate_ids(campaign, t)) for t in probe]
    quotas = [min(n, a) for (_o, n), a in zip(targets, available, strict=True)]
    deficit = sum(n for _o, n in targets) - sum(quotas)
    order = sorted(range(len(targets)), key=lambda i: -available[i])
    while deficit > 0 and any(quotas[i] < available[i] for i in order):
        for i in order:
            if deficit and quotas[i] < available[i]:
                quotas[i] += 1
                deficit -= 1
    return [(o, q) for (o, _n), q in zip(targets, quotas, strict=True) if q > 0]


def _sample(campaign, targets, evaluators):
    targets = _fit(campaign, targets)
    CampaignTarget.objects.bulk_create([CampaignTarget(campaign=campaign, org=o, quota_kind=QuotaKind.COUNT,
                                                       quota_value=Decimal(n)) for o, n in targets])
    CampaignEvaluator.objects.bulk_create([CampaignEvaluator(campaign=campaign, user=u) for u in evaluators])
    plan = services.plan_sample(campaign, campaign.seed)
    for t, available, ids in plan:
        t.available, t.sampled = available, len(ids)
    CampaignTarget.objects.bulk_update([t for t, _a, _i in plan], ["available", "sampled"])
    files = services.build_files(campaign, plan, sorted(u.pk for u in evaluators))
    suggestions = services.build_suggestions(campaign, files)
    return files, suggestions  # unsaved: scored first, then inserted (no bulk update)


def _score_all(rng, sheet, scored, items):
    """Choose confirmations and problems, then score every file with `compute_score`."""
    by_file = {id(f): [] for f, _s, _c in scored}
    total = 0
    # objective items first: data-backed ones are confirmed, missing uploads mostly explained
    for f, suggestions, _c in scored:
        for s in suggestions:
            confirm = total < PROBLEM_TARGET and (s.check_code in STRONG_CHECKS or rng.random() < 0.1)
            if confirm:
                s.state = SuggestionState.CONFIRMED
                by_file[id(f)].append((s.item, s.item.max_points if not s.item.is_veto else Decimal("0"),
                                       s.detail[:500], "suggested"))
                total += 1
            else:
                s.state = SuggestionState.REJECTED
                s.reason = REJECT_REASONS.get(s.check_code, "经核查案卷材料，该情形不成立")
    codes, weights = zip(*MANUAL, strict=True)
    vetoes_left = 3
    # the recorded problems cluster in a few weaker files (as they do in practice)
    weak = rng.sample(scored, max(1, len(scored) // 22))
    while total < PROBLEM_TARGET:
        f, _s, _c = rng.choice(weak) if rng.random() < 0.85 else rng.choice(scored)
        have = {i.code for i, *_ in by_file[id(f)]}
        if len(have) >= 8:
            continue
        code = rng.choices(codes, weights)[0]
        item = items[code]
        if code in have or (item.is_veto and (vetoes_left == 0 or have)):
            continue
        if item.is_veto:
            vetoes_left -= 1
            points = Decimal("0")
        else:
            points = min(item.max_points, Decimal(rng.choice([2, 3, 3, 5, 5, 8])))
        by_file[id(f)].append((item, points, NOTES.get(code, ""), "manual"))
        total += 1
    deductions = []
    for f, _s, c in scored:
        rows = by_file[id(f)]
        result = services.compute_score(sheet, [{"points": p, "is_veto": i.is_veto} for i, p, *_ in rows])
        f.deducted, f.score, f.veto, f.problem_count, f.grade = (result.deducted, result.score, result.veto,
                                                                  result.problems, result.grade)
        f.state, f.scored_by_id = FileState.SUBMITTED, f.evaluator_id
        f.submitted_on = c.concluded_on - timedelta(days=rng.randrange(3, 30))
        f.note = "案卷材料齐全，程序规范。" if not rows else "存在问题：" + "；".join(i.text for i, *_ in rows)[:480]
        for i, p, note, source in rows:
            deductions.append(Deduction(file=f, item=i, category=i.category, item_text=i.text, is_veto=i.is_veto,
                                        points=p, note=note, source=source))
    return deductions


@demo.register("evaluation", order=60)
def load(ctx, progress):
    from yifa.orgs.models import User

    from .models import Suggestion
    from .selectors import evaluation_metrics

    rng = random.Random(326127)
    orgs = ctx["orgs"]
    users = ctx.get("users") or {u.username: u for u in User.objects.filter(is_demo=True)}
    sheet = services.default_sheet()
    items = {i.code: i for i in sheet.items.all()}
    office = orgs["QH-SFJ-JDB"]
    county_team = [u for u in (users.get("supervisor"), users.get("dept_legal_scjg"), users.get("dept_legal_sthj"),
                               users.get("town_legal_nanh")) if u is not None]
    scored, all_suggestions, campaigns = [], [], []
    for p in _campaign_plans(orgs):
        c = _campaign(office, p["title"], p["period"], sheet, p["seed"], CampaignState.CONCLUDED, p["sampled"],
                      p["concluded"], users.get("supervisor"))
        files, suggestions = _sample(c, p["targets"], county_team)
        per_file = {}
        for s in suggestions:
            per_file.setdefault(id(s.file), []).append(s)
        scored += [(f, per_file.get(id(f), []), c) for f in files]
        all_suggestions += suggestions
        campaigns.append((c, p["notice"]))
    deductions = _score_all(rng, sheet, scored, items)
    EvaluationFile.objects.bulk_create([f for f, _s, _c in scored], batch_size=500)
    Suggestion.objects.bulk_create(all_suggestions, batch_size=500)
    Deduction.objects.bulk_create(deductions, batch_size=500)

    # a department's internal campaign being scored now (its legal officer has files to score)
    scjg_unit, scjg_legal = orgs["QH-D-scjg-NJ"], users.get("dept_legal_scjg")
    if scjg_legal is not None:
        live = _campaign(scjg_unit, "2026年第三季度县市场监督管理局行政处罚案卷内部评查",
                         (date(2026, 7, 1), date(2026, 9, 30)), sheet, 20261102, CampaignState.SCORING,
                         date(2026, 11, 2), created_by=scjg_legal)
        files, suggestions = _sample(live, [(orgs["QH-D-scjg"], 8)], [scjg_legal])
        EvaluationFile.objects.bulk_create(files)
        Suggestion.objects.bulk_create(suggestions, batch_size=500)

    for c, on in campaigns[:-1]:  # the latest campaign's notice is still to be issued
        services_notice(c, on)
    m = evaluation_metrics(None)
    progress(f"案卷评查：评查活动 {len(campaigns) + 1} 次，已评查案卷 {m['files_evaluated']} 份，发现问题 "
             f"{m['problems_found']} 个（优秀 {m['grades']['excellent']}、合格 {m['grades']['pass']}、"
             f"不合格 {m['grades']['fail']}），评查通报 {len(campaigns) - 1} 份")


def services_notice(campaign, on):
    """The campaign's 案卷评查通报, issued with the figures computed from its files."""
    from yifa.documents.services import issue_document

    doc = issue_document(actor=None, org=campaign.org, doc_type=services.NOTICE_DOC_TYPE, owner=campaign,
                         content=services.notice_content(campaign, on))
    campaign.notice, campaign.notice_number = doc, doc.doc_number
    campaign.save(update_fields=["notice", "notice_number"])
