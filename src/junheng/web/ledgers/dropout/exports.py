"""The 控辍保学 ledgers as Excel (county administrators only, views): identity numbers masked
(dropout/rules.mask_id) in every row; text through report/safe_xlsx.py."""
from __future__ import annotations

import tempfile
from pathlib import Path

from junheng.report.safe_xlsx import new_workbook
from junheng.web.ledgers.dropout.rules import mask_id
from junheng.web.ledgers.models import Child

HEADER = ["序号", "姓名", "身份证号（脱敏）", "性别", "乡镇(街道)", "村（居）", "就读学校", "年级", "初一入学年份",
          "连续缺勤天数", "台账", "疑似辍学原因", "销号方式", "销号说明"]


def roll_xlsx(children, county_name: str) -> bytes:
    """One sheet per ledger (适龄儿童、疑似辍学、辍学、已销号)."""
    with tempfile.TemporaryDirectory(prefix="junheng-dropout-") as tmp:
        path = Path(tmp) / "控辍保学.xlsx"
        wb = new_workbook(path)
        head = wb.add_format({"bold": True, "border": 1, "bg_color": "#F0F0F0"})
        cell = wb.add_format({"border": 1})
        for state, name in [(None, "适龄儿童台账"), *[(s, f"{n}台账") for s, n in Child.STATES if s != Child.ROLL]]:
            ws = wb.add_worksheet(name)
            ws.write(0, 0, f"{county_name}{name}")
            ws.write_row(1, 0, HEADER, head)
            kids = children if state is None else children.filter(state=state)
            for i, c in enumerate(kids, 2):
                ws.write_row(i, 0, [str(i - 1), c.name, mask_id(c.id_number), c.gender, c.township.name if c.township else "",
                                    c.village, c.school.name if c.school else "", c.grade,
                                    str(c.junior_entry_year or ""), str(c.absent_days), c.get_state_display(), c.reason,
                                    c.get_outcome_display(), c.outcome_note], cell)
            ws.set_column(0, len(HEADER) - 1, 14)
        wb.close()
        return path.read_bytes()
