"""Pre-review assistant (预审助手): rule-based checks of a draft's text.

Pure Python (no Django import) so that `bench/precheck.py` can run it alone.

A normative document may not set 行政许可、行政处罚、行政强制, charge fees, name or
restrict specific businesses, reduce rights or add obligations without a legal basis, or
add powers / reduce the issuing body's duties (国办发〔2018〕37号; 行政许可法 art. 17;
行政处罚法 art. 16; 行政强制法 art. 10; 公平竞争审查制度). Each rule below is data: a code,
a category, patterns that suggest the problem, exemptions that show the clause is a
restatement of the law or a prohibition on the administration itself, an explanation and
the basis. Each hint quotes the clause it found.

A statistical classifier over character n-grams (`precheck_model`, trained on the corpus
in `precheck_corpus/` by `scripts/build_precheck_model.py`) adds hints the rules miss; its
hints say so and give its confidence.

The rules are a reviewer's aid, not a verdict: the first reviewer sees every hint and can
dismiss it with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Clauses that merely restate an existing law or regulation (the basis is named) or
# that bind the administration rather than the public are not flagged.
LAW_REFERENCE = re.compile(r"(依照|依据|根据|按照|违反)[^，。；]{0,6}《[^》]{2,40}》|依法(?!律师)|法律、(行政)?法规(另有)?规定|"
                           r"法律法规(另有)?规定|由[^，。；]{1,20}依法")


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    label: str
    patterns: tuple[str, ...]
    explanation: str
    basis: str
    exempt: tuple[str, ...] = ()
    law_reference_exempts: bool = True
    compiled: tuple = field(default=(), compare=False, repr=False)
    compiled_exempt: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "compiled", tuple(re.compile(p) for p in self.patterns))
        object.__setattr__(self, "compiled_exempt", tuple(re.compile(p) for p in self.exempt))

    def match(self, clause: str) -> re.Match | None:
        for rx in self.compiled_exempt:
            if rx.search(clause):
                return None
        if self.law_reference_exempts and LAW_REFERENCE.search(clause):
            return None
        for rx in self.compiled:
            m = rx.search(clause)
            if m:
                return m
        return None


NEGATED = r"(不得|禁止|严禁|不准|不再|一律不|杜绝|不予)"

RULES: tuple[Rule, ...] = (
    Rule(
        "permit.set", "permit", "设定行政许可",
        (r"(须|需|需要|必须|应当|应)(先)?经[^，。；]{0,20}(批准|审批|许可|核准|同意|备案同意)",
         r"未经[^，。；]{0,20}(批准|许可|审批|核准|同意)[^。；]{0,30}(不得|禁止|一律不)",
         r"实行[^，。；]{0,12}(许可|审批|核准|准入)(制度|管理|制)",
         r"(须|需|必须|应当|应)(先)?(取得|办理|申领|领取)[^，。；]{0,20}(许可证|许可|审批|批准文件|准入证|准营证|资格证)",
         r"(取得|办理|申领)[^，。；]{0,15}(许可证|准入证|准营证|资格证)[^。；]{0,10}(后|方可|才能)",
         r"(方可|才能|才可)[^，。；]{0,10}(营业|经营|开业|施工|生产|销售|从事)"),
        "规范性文件不得设定行政许可，也不得增设行政许可条件。",
        "《行政许可法》第十七条；国办发〔2018〕37号",
        exempt=(NEGATED + r"[^，。；]{0,15}(设定|增设|要求)[^，。；]{0,10}(许可|审批)",
                r"(取消|不再保留|下放)[^，。；]{0,15}(审批|许可)"),
    ),
    Rule(
        "penalty.set", "penalty", "设定行政处罚",
        (r"(处|并处|可处|予以)[^，。；]{0,15}(罚款|警告|拘留)",
         r"(罚款|没收违法所得|没收非法财物|责令停产停业|吊销[^，。；]{0,8}(执照|许可证)|暂扣[^，。；]{0,6}(执照|许可证))",
         r"(予以|给予)[^，。；]{0,6}(行政)?处罚",
         r"(罚|扣|罚扣)[^，。；]{0,4}\d+[^，。；]{0,3}元",
         r"(通报批评|暂停[^，。；]{0,6}资格)[^，。；]{0,10}(并|，)?[^，。；]{0,10}(处|罚)"),
        "规范性文件不得设定行政处罚；处罚只能由法律、法规、规章设定。",
        "《行政处罚法》第十六条；国办发〔2018〕37号",
        exempt=(NEGATED + r"[^，。；]{0,12}(设定|实施|以罚代管|罚款)",
                r"罚款[^，。；]{0,6}(全额|一律)?(上缴|缴入)国库"),
    ),
    Rule(
        "coercion.set", "coercion", "设定行政强制",
        (r"(查封|扣押|冻结|强制拆除|强行拆除|强制清除|强制执行|代履行|强制收回|强行带离|强制隔离|断水断电|停水停电)",),
        "规范性文件不得设定行政强制措施和行政强制执行。",
        "《行政强制法》第十条、第十三条；国办发〔2018〕37号",
        exempt=(NEGATED + r"[^，。；]{0,10}(查封|扣押|冻结|强制|断水|停水)",
                # the statutory time limit on a measure binds the administration
                r"期限不得超过", r"(妥善保管|不得使用或者损毁)"),
    ),
    Rule(
        "fee.charge", "fee", "违法设定收费",
        (r"(收取|缴纳|交纳|缴存|预交|收缴)[^，。；]{0,15}(费|保证金|押金|基金|赞助|风险金)",
         r"(管理费|服务费|手续费|工本费|押金|保证金|集资|赞助费|建设费|配套费)[^，。；]{0,10}(由|按|每|标准|收取|缴纳)",
         r"每[^，。；]{0,6}(收|交|缴)[^，。；]{0,6}\d+[^，。；]{0,3}元"),
        "规范性文件不得违法设定收费项目或要求缴纳保证金、押金。",
        "国办发〔2018〕37号；《价格法》第四十七条；国务院关于涉企收费的规定",
        exempt=(NEGATED + r"[^，。；]{0,15}(收取|收费|缴纳|费用|保证金|押金|乱收)", r"(免费|免收|减免|全额退还|退还[^，。；]{0,6}保证金)",
                # "不收取任何费用"; a sanction for not paying a fee set elsewhere; a fee by contract or national standard
                r"(不|无需|免于)(收取|缴纳|交纳)", r"(拒不|逾期未|未按期|不按期|未按时|未)(缴纳|交纳|缴清)",
                r"(合同|协议)的?约定", r"(依照|按照)国家规定", r"保函"),
    ),
    Rule(
        "business.restrict", "business", "指定或限制特定经营者",
        (r"指定[^，。；]{0,20}(企业|公司|单位|机构|供应商|服务商|经营者|品牌|检测|中介|门店|网点|经销商|商店)",
         r"(只能|仅限|必须|应当|应|一律)[^，。；]{0,8}(购买|使用|选择|委托|采购|接入|到)[^，。；]{0,25}(公司|企业|产品|品牌|机构|集团|中心)",
         r"(本地|本县|县内|辖区内)[^，。；]{0,6}(企业|产品|商品|经营者|供应商)[^。；]{0,12}(优先|予以倾斜|加分)",
         r"优先[^，。；]{0,6}(采购|使用|选择|选用)[^，。；]{0,6}(本地|本县|县内)",
         r"(外地|外省|外县|县外|非本地)[^，。；]{0,10}(企业|商品|产品|经营者|车辆)[^。；]{0,20}(不得|禁止|限制|须|需|应当|加收)",
         r"由[^，。；]{2,20}(有限公司|有限责任公司|股份公司|集团)[^，。；]{0,6}(独家|统一|负责|承担|实施)"),
        "规范性文件不得限定或者变相限定经营、购买、使用特定经营者提供的商品和服务，不得排斥限制外地经营者（公平竞争审查）。",
        "《反垄断法》第三十九条至第四十二条；《公平竞争审查条例》第八条至第十条",
        exempt=(NEGATED + r"[^，。；]{0,15}(指定|限定|限制|排斥|歧视|设置[^，。；]{0,6}壁垒)",
                r"(公开招标|公开择优|竞争性磋商|政府采购程序|政府采购中心|公共资源交易)"),
    ),
    Rule(
        "obligation.add", "obligation", "减损权利或增加义务",
        (r"(不得|禁止|严禁)[^，。；]{0,10}(上访|信访|申诉|起诉|提起诉讼|申请复议|申请行政复议|举报|越级)",
         r"(放弃|视为放弃)[^，。；]{0,8}(权利|复议|诉讼|申诉|补偿|赔偿)",
         r"(取消|停发|扣发|暂停|不予享受|不得享受)[^，。；]{0,12}(资格|待遇|补贴|低保|救助|补助|评优)",
         r"(列入|纳入)[^，。；]{0,10}(黑名单|失信名单|重点管控名单)",
         r"(限制|不得)[^，。；]{0,8}(子女|家属)[^，。；]{0,10}(入学|就业|参军|考试)",
         r"(子女|家属)[^，。；]{0,10}(入学|就业|参军|考试)[^，。；]{0,10}(限制|不予|取消)",
         r"(必须|须|应当|需)[^，。；]{0,12}(提供|提交|出具|开具)[^，。；]{0,20}(无犯罪|证明|承诺书|担保书|保证书)",
         r"(签订|签署)[^，。；]{0,8}(承诺书|保证书|责任状)[^，。；]{0,10}(后|方可|才能)",
         r"(限制|禁止)[^，。；]{0,6}(出行|出境|乘坐|贷款|就业|经营|迁移)"),
        "没有法律、法规、规章依据，规范性文件不得减损公民、法人和其他组织的合法权益或者增加其义务，不得要求提供无谓证明。",
        "《立法法》第九十一条、第九十三条；国办发〔2018〕37号",
        exempt=(NEGATED + r"[^，。；]{0,6}(要求|擅自|随意|违规)[^，。；]{0,10}(提供|出具|开具|证明|限制|取消)",
                r"(不再|无需|不需|免于)[^，。；]{0,8}(提供|提交|出具|开具)",
                r"(保障|维护|依法保护)[^，。；]{0,10}(权利|权益)",
                NEGATED + r"(限制|排斥|歧视|妨碍)",
                r"不得以[^，。；]{0,20}(为由|理由)"),
    ),
    Rule(
        "duty.reduce", "duty", "增加权力或减少法定职责",
        (r"(本机关|行政机关|本部门|主管部门|政府)[^，。；]{0,20}(不承担|免除|不负)[^，。；]{0,8}(责任|职责|赔偿)",
         r"(不予|不再)(受理|办理|答复)[^，。；]{0,10}(投诉|举报|申请|信息公开)",
         r"(有权|可以)[^，。；]{0,10}(进入|检查|调取|扣留)[^，。；]{0,10}(住宅|住所|私人)"),
        "规范性文件不得增加行政机关法定职权或者减少法定职责。",
        "国办发〔2018〕37号；《法治政府建设实施纲要（2021—2025年）》",
        exempt=(r"(依法受理|及时受理)",),
    ),
)

CATEGORY_LABELS = {r.category: r.label for r in RULES}

# Sentence/clause splitting: a hint quotes one clause (a sentence, or an article item).
_SPLIT = re.compile(r"(?<=[。；！？!?;])|\n+")
_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+条|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])\s*")


@dataclass(frozen=True)
class Hint:
    rule_code: str
    category: str
    label: str
    quote: str
    matched: str
    explanation: str
    basis: str
    source: str = "rule"  # "rule" (a keyword rule) or "model" (the statistical classifier)
    confidence: float | None = None  # the classifier's probability, for model hints


def split_clauses(text: str) -> list[str]:
    out = []
    for part in _SPLIT.split(text or ""):
        part = part.strip()
        if len(part) < 4:
            continue
        out.append(part)
    return out


RULES_BY_CATEGORY = {r.category: r for r in RULES}
_SHIPPED = object()


def rule_hints(clause: str) -> list[Hint]:
    """The keyword rules' hints for one clause (at most one per category)."""
    body = _ARTICLE.sub("", clause)
    hints, seen = [], set()
    for rule in RULES:
        if rule.category in seen:
            continue
        m = rule.match(body)
        if m:
            seen.add(rule.category)
            hints.append(Hint(rule.code, rule.category, rule.label, clause[:500], m.group(0), rule.explanation,
                              rule.basis))
    return hints


def model_hint(clause: str, category: str, probability: float, evidence: list[str] = ()) -> Hint:
    from .precheck_model import confidence_words

    rule = RULES_BY_CATEGORY[category]
    words = "、".join(f"“{w}”" for w in evidence)
    explanation = (f"统计模型提示，{confidence_words(probability)}" + (f"，主要依据字词{words}" if words else "")
                   + f"。{rule.explanation}")
    return Hint(f"model.{category}", category, rule.label, clause[:500], "、".join(evidence), explanation, rule.basis,
                source="model", confidence=round(probability, 2))


def check_clause(clause: str, *, model=_SHIPPED, threshold: float | None = None) -> list[Hint]:
    """Rules first (precise, they say what matched); then the classifier adds a hint for a
    category no rule found when its probability reaches the model's threshold (chosen by
    cross-validation for precision). `model=None` runs the rules alone; by default the
    model shipped in precheck_corpus/model.json is used."""
    hints = rule_hints(clause)
    if model is _SHIPPED:
        from .precheck_model import load

        model = load()
    if model is not None:
        seen = {h.category for h in hints}
        for category, p in model.flags(_ARTICLE.sub("", clause), threshold):
            if category not in seen and category in RULES_BY_CATEGORY:
                hints.append(model_hint(clause, category, p, model.evidence(clause, category)))
    return hints


def check_text(text: str) -> list[Hint]:
    """Every hint for every clause of `text`, in text order."""
    hints = []
    for clause in split_clauses(text):
        hints.extend(check_clause(clause))
    return hints


# --- missing procedure records (item-level, not clause-level) -------------------------------

@dataclass(frozen=True)
class ProcedureCheck:
    code: str
    field: str
    message: str
    basis: str
    item_types: tuple[str, ...]


PROCEDURE_CHECKS = (
    ProcedureCheck("procedure.drafting_explanation", "drafting_explanation", "未提交起草说明",
                   "《重大行政决策程序暂行条例》第二十九条；国办发〔2018〕37号",
                   ("normative_document", "major_decision")),
    ProcedureCheck("procedure.legal_basis", "legal_basis", "未说明制定依据（法律、法规、规章）",
                   "国办发〔2018〕37号", ("normative_document", "major_decision", "administrative_contract")),
    ProcedureCheck("procedure.public_participation", "public_participation", "未提交公众参与（征求意见）情况",
                   "《重大行政决策程序暂行条例》第十四条至第十八条；国办发〔2018〕37号",
                   ("normative_document", "major_decision")),
    ProcedureCheck("procedure.expert_argumentation", "expert_argumentation", "未提交专家论证意见",
                   "《重大行政决策程序暂行条例》第十九条、第二十条", ("major_decision",)),
    ProcedureCheck("procedure.risk_assessment", "risk_assessment", "未提交风险评估报告",
                   "《重大行政决策程序暂行条例》第二十二条", ("major_decision",)),
    ProcedureCheck("procedure.counterparty", "counterparty", "未写明协议相对人",
                   "《最高人民法院关于审理行政协议案件若干问题的规定》第一条", ("administrative_contract",)),
)


def missing_procedures(item_type: str, values: dict) -> list[ProcedureCheck]:
    return [c for c in PROCEDURE_CHECKS if item_type in c.item_types and not str(values.get(c.field) or "").strip()]
