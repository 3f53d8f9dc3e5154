"""Template variants for the pre-review corpus (a minority of it; see the corpus README).

Usage: python scripts/precheck_corpus_variants.py > /tmp/variants.csv

Deterministic (fixed seed). Each template is a pattern real county documents use; the slots
swap agencies, activities and amounts so the classifier does not learn one noun. The
hand-written clauses in corpus.csv remain the bulk of the corpus; these rows are marked
source=template so a reviewer can drop them.
"""

import csv
import random
import sys

AGENCIES = ["县市场监管局", "县城管局", "县住建局", "县农业农村局", "县文旅局", "县交通运输局", "镇人民政府", "街道办事处",
            "县商务局", "县卫健局", "县教育局", "县自然资源局", "县水利局", "县生态环境分局", "县应急管理局"]
ACTIVITIES = ["开办农家乐", "从事废品回收", "设立快递网点", "经营小吃摊", "开设培训班", "从事装修施工", "开办养殖场",
              "设置广告牌", "经营民宿", "开办洗车店", "从事二手车销售", "经营网吧", "开设棋牌室", "开办幼儿托管点",
              "经营水果批发", "从事渣土运输"]
SUBJECTS = ["经营户", "商户", "企业", "个体工商户", "村民", "摊贩", "施工单位", "养殖户", "承租人", "驾驶员"]
COMPANIES = ["县鑫源建材有限公司", "县顺达物流有限公司", "县华泰商贸有限公司", "县惠民供水公司", "县新城印务公司",
             "县长丰农资公司", "县金盾安防科技有限公司", "县绿源环保公司", "县联创信息公司", "县恒通汽修厂"]
GOODS = ["建材", "饮用水", "农药化肥", "监控设备", "校服", "办公用品", "消防器材", "管材", "燃气表", "电子标签"]
AMOUNTS = ["五十元", "一百元", "二百元", "五百元", "一千元", "三千元", "五千元", "一万元"]
DAYS = ["三日", "五日", "七日", "十日", "十五日", "一个月"]
LAWS = ["《中华人民共和国食品安全法》", "《中华人民共和国安全生产法》", "《中华人民共和国城乡规划法》",
        "《中华人民共和国道路交通安全法》", "《中华人民共和国大气污染防治法》", "《中华人民共和国广告法》",
        "《城市市容和环境卫生管理条例》", "《中华人民共和国水污染防治法》", "《中华人民共和国动物防疫法》"]

TEMPLATES = {
    "permit": [
        "{s}{a}的，应当取得{ag}出具的备案证明后方可营业。",
        "{a}须经{ag}现场验收合格后才能经营。",
        "{s}{a}前，须先征得所在村委会同意。",
        "{a}的{s}，应当向{ag}申领准入证。",
        "未经{ag}审核同意，任何{s}不得{a}。",
    ],
    "penalty": [
        "对违反本规定的{s}，由{ag}责令停业整顿{d}。",
        "{s}违反本办法的，处{m}罚款。",
        "对不落实整改要求的{s}，予以全县通报并取消其评先评优资格。",
        "{s}违反本规定的，列入黑名单，{d}内不得参与政府项目。",
        "违反本规定{a}的，没收其经营工具并处{m}罚款。",
    ],
    "coercion": [
        "对违规{a}的{s}，由{ag}暂扣其车辆至案件处理完毕。",
        "对拒不整改的{s}，由{ag}查封其经营场所。",
        "对拒不配合的{s}，由{ag}通知供电企业停止供电。",
        "对擅自{a}的，{ag}可以扣押其设备物品。",
    ],
    "fee": [
        "{s}{a}的，须向{ag}缴纳保证金{m}。",
        "{s}办理相关手续时，由{ag}收取服务费{m}。",
        "{a}的{s}，每年交纳管理费{m}。",
    ],
    "business": [
        "全县{g}统一由{c}供应。",
        "各单位所需{g}应当从{c}购买。",
        "本县{s}使用的{g}只能在{c}采购。",
        "外地生产的{g}进入本县销售的，须另行检测。",
    ],
    "obligation": [
        "享受本办法扶持的{s}，须承诺三年内不得迁出本县。",
        "{s}子女不得报考本县事业单位。",
        "{s}申请补贴时，须提供村委会出具的无违法记录证明。",
        "拒不配合{ag}工作的{s}，暂停其享受低保待遇。",
    ],
    "duty": [
        "对{s}提出的申请，{ag}可视情况决定是否答复。",
        "对{s}的投诉，{ag}可以不予受理且无需说明理由。",
        "因{s}自身原因造成的损失，{ag}不承担任何监管责任。",
    ],
    "none": [
        "{s}{a}的，应当在开业后三十日内向{ag}备案，备案不得作为经营的前置条件。",
        "违反本规定{a}的，由{ag}依照{l}的有关规定处理。",
        "{ag}应当自受理之日起二十个工作日内作出决定并书面告知{s}。",
        "对在{a}中诚信经营的{s}，由{ag}予以通报表扬。",
        "{ag}开展{a}专项检查所需经费列入县级财政预算。",
        "本办法所称{s}，是指在本县行政区域内{a}的自然人、法人和其他组织。",
        "{ag}应当为{s}{a}提供咨询和指导服务，不收取任何费用。",
        "{s}可以自主选择{g}的供应商，任何单位不得指定。",
        "{ag}收到{s}的投诉举报后，应当在七个工作日内决定是否受理并告知投诉人。",
        "{ag}实施检查时，应当出示执法证件，检查人员不得少于两人。",
        "对{s}依法暂扣的物品，{ag}应当妥善保管，不得使用或者损毁。",
        "{ag}查封、扣押的期限依照《中华人民共和国行政强制法》第二十五条执行。",
        "{ag}负责本县{a}的监督管理工作，依照{l}的规定履行职责。",
    ],
}


def main():
    rng = random.Random(17)
    w = csv.writer(sys.stdout, lineterminator="\n")
    seen = set()
    per = {"none": 190}
    for label, templates in TEMPLATES.items():
        want, tries = per.get(label, 22), 0
        made = 0
        while made < want and tries < 5000:
            tries += 1
            t = rng.choice(templates)
            text = t.format(s=rng.choice(SUBJECTS), a=rng.choice(ACTIVITIES), ag=rng.choice(AGENCIES),
                            c=rng.choice(COMPANIES), g=rng.choice(GOODS), m=rng.choice(AMOUNTS), d=rng.choice(DAYS),
                            l=rng.choice(LAWS))
            if text in seen:
                continue
            seen.add(text)
            w.writerow([label, text, "template"])
            made += 1


if __name__ == "__main__":
    main()
