"""The default indicator tree copied into a new period.

本地默认指标体系：this is a LOCAL DEFAULT chosen for the demo county (only "supervision
results = 20%" comes from the mission text); it is not taken from a higher-level document.
Every weight, formula and parameter is editable per period on the tree page."""

LOCAL_DEFAULT_NOTE = "本地默认指标体系（仅“监督结果占 20%”来自工作要求，其余为本地默认值），每个考核期间均可修改。"

SUPERVISION_FOUND_RATIONALE = (
    "监督结果占考核分值的20%，考的是执法质量本身，不只是整改态度：如果只按整改率计分，一个被发现大量问题但"
    "全部整改的单位与一个未被发现问题的单位得分相同，监督结果就失去了区分度。因此“监督结果”中40%按发现问题的"
    "个数扣分（每个0.5分，扣完为止，即8分分值发现16个问题扣完），60%按整改情况计分；问题越少、整改越好，得分越高。"
    "每个问题的扣分和权重为本地默认值，可在每个考核期间修改。")
SUPERVISION_FIXED_RATIONALE = "发现的问题要整改到位：整改率按比例计分，没有需要整改的问题时按满分计（没有可扣分的事项）。"
_NO_RATIONALE = ""

# (category, weight %, [(indicator, weight % of the category, kind, metric, formula, params, description, rationale)])
DEFAULT_TREE = [
    ("监督结果", "20", [
        ("监督发现问题扣分", "40", "metric", "supervision.findings_raised", "deduction", {"per_item": "0.5"},
         "期间内监督发现本单位（含下属单位）问题的个数，每个扣 0.5 分，扣完为止", SUPERVISION_FOUND_RATIONALE),
        ("监督意见书整改率", "30", "metric", "supervision.letter_rectification_rate", "rate", {"empty": "full"},
         "行政执法监督通知书、意见书按期整改到位情况", SUPERVISION_FIXED_RATIONALE),
        ("监督发现问题整改率", "30", "metric", "supervision.finding_correction_rate", "rate", {"empty": "full"},
         "日常、专项及线上监督发现问题的整改情况", SUPERVISION_FIXED_RATIONALE),
    ]),
    ("行政执法", "30", [
        ("执法案件按时办结率", "60", "metric", "enforcement.on_time_rate", "threshold",
         {"target": "0.95", "floor": "0.6", "empty": "full"}, "案件在法定期限内办结情况", _NO_RATIONALE),
        ("执法决定按时公示率", "40", "metric", "enforcement.publicity_on_time", "rate", {"empty": "full"},
         "行政执法公示制度落实情况", _NO_RATIONALE),
    ]),
    ("合法性审查", "15", [
        ("审查意见采纳率", "100", "metric", "review.adoption_rate", "rate", {"empty": "full"},
         "合法性审查修改建议的采纳情况", _NO_RATIONALE),
    ]),
    ("案卷评查", "10", [
        ("案卷评查得分率", "100", "metric", "evaluation.score_rate", "rate", {"empty": "full"},
         "行政执法案卷评查结果", _NO_RATIONALE),
    ]),
    ("错案问责", "10", [
        ("错案扣分", "100", "metric", "accountability.wrong_cases", "deduction", {"per_item": "2"},
         "行政诉讼败诉、行政复议纠错等错案，每件扣 2 分", _NO_RATIONALE),
    ]),
    ("队伍建设", "5", [
        ("培训学时达标率", "100", "metric", "training.completion_rate", "rate", {"empty": "full"},
         "执法人员年度培训学时达标情况", _NO_RATIONALE),
    ]),
    ("法治建设工作", "10", [
        ("述法与年度报告", "50", "manual", "", "manual", {}, "主要负责人述法、法治政府建设年度报告报送情况", _NO_RATIONALE),
        ("制度建设与普法宣传", "50", "manual", "", "manual", {}, "规范性文件管理、普法宣传等工作情况", _NO_RATIONALE),
    ]),
]
