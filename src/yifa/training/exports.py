"""Excel export of the statistics per unit and year (the lists export through the view kit)."""

from yifa.core import clock
from yifa.core.xlsx import Workbook


STAT_HEADER = ["单位", "年度", "组织培训（期）", "出席人次", "缺席人次", "认定学时", "执法人员（在岗）", "学时达标人数",
               "完成率（%）", "证件90天内到期", "证件30天内到期", "证件无效"]


def _response(wb, title):
    return wb.response(f"{title}-{clock.today():%Y%m%d}.xlsx")


def statistics_response(rows, totals, year):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("队伍建设统计")
    ws.append(STAT_HEADER)
    for r in rows:
        ws.append([r["org_name"], year, r["sessions"], r["attendances"], r["absences"], float(r["hours"]),
                   r["officers"], r["meeting"], r["completion_rate"], r["expiring_90"], r["expiring_30"], r["invalid"]])
    ws.append(["合计", year, totals["sessions"], totals["attendances"], totals["absences"], float(totals["hours"]),
               totals["officers"], totals["meeting"], totals["completion_rate"], totals["expiring_90"],
               totals["expiring_30"], totals["invalid"]])
    return _response(wb, f"队伍建设统计-{year}")
