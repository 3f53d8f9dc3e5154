"""The default indicator tree copied into a new period.

本地默认指标体系：this is a LOCAL DEFAULT chosen for the demo county (only "supervision
results = 20%" comes from the mission text); it is not taken from a higher-level document.
Every weight, formula and parameter is editable per period on the tree page."""

LOCAL_DEFAULT_NOTE = "本地默认指标体系（仅“监督结果占 20%”来自工作要求，其余为本地默认值），每个考核期间均可修改。"

# (category, weight %, [(indicator, weight % of the category, kind, metric, formula, params, description)])
DEFAULT_TREE = [
    ("监督结果", "20", [
        ("监督意见书整改率", "50", "metric", "supervision.letter_rectification_rate", "rate", {"empty": "full"},
         "行政执法监督意见书按期整改到位情况"),
        ("监督发现问题整改率", "50", "metric", "supervision.finding_correction_rate", "rate", {"empty": "full"},
         "日常、专项及线上监督发现问题的整改情况"),
    ]),
    ("行政执法", "30", [
        ("执法案件按时办结率", "60", "metric", "enforcement.on_time_rate", "threshold",
         {"target": "0.95", "floor": "0.6", "empty": "full"}, "案件在法定期限内办结情况"),
        ("执法决定按时公示率", "40", "metric", "enforcement.publicity_on_time", "rate", {"empty": "full"},
         "行政执法公示制度落实情况"),
    ]),
    ("合法性审查", "15", [
        ("审查意见采纳率", "100", "metric", "review.adoption_rate", "rate", {"empty": "full"},
         "合法性审查修改建议的采纳情况"),
    ]),
    ("案卷评查", "10", [
        ("案卷评查得分率", "100", "metric", "evaluation.score_rate", "rate", {"empty": "full"},
         "行政执法案卷评查结果"),
    ]),
    ("错案问责", "10", [
        ("错案扣分", "100", "metric", "accountability.wrong_cases", "deduction", {"per_item": "2"},
         "行政诉讼败诉、行政复议纠错等错案，每件扣 2 分"),
    ]),
    ("队伍建设", "5", [
        ("培训学时达标率", "100", "metric", "training.completion_rate", "rate", {"empty": "full"},
         "执法人员年度培训学时达标情况"),
    ]),
    ("法治建设工作", "10", [
        ("述法与年度报告", "50", "manual", "", "manual", {}, "主要负责人述法、法治政府建设年度报告报送情况"),
        ("制度建设与普法宣传", "50", "manual", "", "manual", {}, "规范性文件管理、普法宣传等工作情况"),
    ]),
]
