"""Document types as data: name, number pattern and the word that marks the type in
the 发文字号 (e.g. 清河司法审〔2026〕3号).

GB/T 9704-2012 7.2.4: 发文字号由发文机关代字、年份、发文顺序号组成；年份、发文顺序号用
阿拉伯数字标注；年份应标全称，用六角括号“〔〕”括入；发文顺序号不加“第”字，不编虚位
（即1不编为01），在阿拉伯数字后加“号”。
"""

from dataclasses import dataclass

DEFAULT_PATTERN = "{prefix}〔{year}〕{serial}号"


@dataclass(frozen=True)
class DocType:
    code: str
    name: str
    number_pattern: str = DEFAULT_PATTERN
    type_word: str = ""  # appended to the unit's 代字 for the default prefix

    def format_number(self, *, prefix: str, year: int, serial: int) -> str:
        return self.number_pattern.format(prefix=prefix, year=year, serial=serial)


DOC_TYPES: dict[str, DocType] = {
    t.code: t
    for t in (
        DocType("review_opinion_letter", "合法性审查意见书", type_word="审"),
        DocType("legal_review_opinion", "重大执法决定法制审核意见书", type_word="法审"),
        DocType("supervision_notice_letter", "行政执法监督通知书", type_word="监通"),
        DocType("supervision_opinion_letter", "行政执法监督意见书", type_word="监意"),
        DocType("supervision_decision", "行政执法监督决定书", type_word="监决"),
        DocType("accountability_recommendation", "错案问责建议书", type_word="问责"),
        DocType("notice", "通报", type_word="通"),
        DocType("penalty_decision_publicity", "行政处罚决定书（公示）", type_word="罚"),
        DocType("evaluation_notice", "案卷评查通报", type_word="评查"),
        DocType("annual_report", "法治政府建设情况报告", type_word="报"),
    )
}

DOC_TYPE_CHOICES = [(t.code, t.name) for t in DOC_TYPES.values()]

# Number series kept in the same per-unit, per-year sequence rows as the 发文字号, but not
# documents (nothing is rendered for them): the code of the series and its name.
NUMBER_SERIES: dict[str, str] = {
    "enforcement_case": "执法案件案号",
}


def get_doc_type(code: str) -> DocType | None:
    return DOC_TYPES.get(code)


def doc_type_name(code: str) -> str:
    t = DOC_TYPES.get(code)
    return t.name if t else NUMBER_SERIES.get(code, code)


def unit_code_word(org) -> str:
    """发文机关代字 of a unit: its short name, else its name without 人民政府 (so a county
    government "清河县人民政府" gives "清河县", a bureau keeps its full name)."""
    short = (getattr(org, "short_name", "") or "").strip()
    if short:
        return short
    name = (org.name or "").strip()
    if name.endswith("人民政府") and len(name) > 4:
        name = name[: -len("人民政府")]
    return name


def default_prefix(org, doc_type: DocType) -> str:
    return unit_code_word(org) + doc_type.type_word


@dataclass(frozen=True)
class NumberedBy:
    """Declared on a model that shows the 文号 of its issued document: which field holds
    the copy of the number, which the reference to the IssuedDocument, which the issuing
    unit, and the document type. The number is only ever copied from the document (a
    check constraint refuses a number without a document); `yifa documents check-numbers`
    walks every model that declares this and lists duplicates and copies that differ."""

    number: str
    document: str
    issuer: str
    doc_type: str
