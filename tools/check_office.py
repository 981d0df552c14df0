"""Open every .xlsx and .docx junheng writes in LibreOffice, headless, as CI's office check.

    python tools/check_office.py [--keep DIR]

Writes, with the real commands, every Excel and Word output of both rule packs on the bundled
sample county: ``assess -o x.xlsx`` (school table alone, with ``--county-data``, and a generated
3-county table), ``report`` (with and without ``--county-data``), ``template county`` and
``sample``. Then LibreOffice (``soffice --headless``, a fresh profile set to recalculate every
formula on load):

* converts each .xlsx to PDF and each sheet to CSV, and each .docx to PDF;
* fails when a conversion fails or leaves no output, when a PDF has no page, when a sheet read
  by LibreOffice differs from the cells openpyxl reads (a file LibreOffice had to repair loses
  or changes cells), or when a formula LibreOffice recalculated differs from junheng's cached
  value by more than 1e-9 (the 计算过程 sheet: the CVs recomputed by LibreOffice's own engine);
* fails when a Word report's PDF lacks the report title.

Exit status 0 when every file passed, 1 otherwise, 2 when soffice or pdfinfo is missing.
Needs the apt packages libreoffice-calc-nogui, libreoffice-writer-nogui and poppler-utils.
"""
from __future__ import annotations

import argparse
import csv
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKS = ("basic-2012", "quality-2017")
#: LibreOffice's CSV filter: comma, double quote, UTF-8, from line 1, raw values (not as shown),
#: every sheet into <stem>-<sheet>.csv.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
TOLERANCE = 1e-9


def junheng(*args: str) -> None:
    """Run the junheng command of this interpreter's environment; raise when it fails."""
    exe = Path(sys.executable).with_name("junheng")
    r = subprocess.run([str(exe), *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"junheng {' '.join(args)} failed ({r.returncode}):\n{r.stderr}")


def produce(out: Path) -> list[Path]:
    """Write every Excel and Word output into ``out``; returns the .xlsx and .docx files."""
    from junheng.sample import SAMPLE_COUNTY_DATA, SAMPLE_XLSX

    school, county = str(SAMPLE_XLSX), str(SAMPLE_COUNTY_DATA)
    junheng("sample", "-o", str(out / "模拟3县.xlsx"), "--schools", "300", "--counties", "3", "--seed", "7")
    junheng("template", "county", "-o", str(out / "县级数据模板.xlsx"))
    for pack in PACKS:
        junheng("assess", school, "-r", pack, "-y", "2024", "-o", str(out / f"assess_{pack}.xlsx"))
        junheng("assess", school, "-r", pack, "-c", county, "-o", str(out / f"assess_full_{pack}.xlsx"))
        junheng("assess", str(out / "模拟3县.xlsx"), "-r", pack, "-o", str(out / f"assess_3县_{pack}.xlsx"))
        junheng("report", school, "-r", pack, "-c", county, "-o", str(out / f"report_full_{pack}"),
                "--formats", "xlsx,docx")
        junheng("report", school, "-r", pack, "-y", "2024", "-o", str(out / f"report_{pack}"), "--formats", "xlsx,docx")
    files = []
    for p in sorted(p for p in out.rglob("*") if p.suffix in (".xlsx", ".docx")):
        if p.parent != out:  # report folders hold the same file names: make them unique
            p = p.rename(out / f"{p.parent.name}_{p.name}")
        files.append(p)
    return files


def soffice(profile: Path, target: str, outdir: Path, files: list[Path]) -> str:
    """Convert ``files`` with one LibreOffice run; returns its output (stdout and stderr)."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    return r.stdout + r.stderr


def pdf_pages(pdf: Path) -> int:
    r = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def _same(ours, theirs: str) -> bool:
    if isinstance(ours, bool):
        return theirs.upper() == str(ours).upper()
    if isinstance(ours, (int, float)):
        try:  # a percent format keeps its % sign in the CSV
            x = float(theirs[:-1]) / 100 if theirs.endswith("%") else float(theirs)
        except ValueError:
            return False
        return math.isclose(x, ours, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return theirs == str(ours)


def compare_sheets(xlsx: Path, csv_dir: Path) -> list[str]:
    """Differences between the cells openpyxl reads (cached values) and LibreOffice's CSV of
    each sheet (recalculated values)."""
    import openpyxl

    problems = []
    wb = openpyxl.load_workbook(xlsx, data_only=True, read_only=True)
    for ws in wb.worksheets:
        path = csv_dir / f"{xlsx.stem}-{ws.title}.csv"
        if not path.is_file():
            problems.append(f"{xlsx.name}：LibreOffice 未导出工作表“{ws.title}”")
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            theirs = {(r, c): v for r, row in enumerate(csv.reader(fh)) for c, v in enumerate(row) if v != ""}
        ours = {(r, c): v for r, row in enumerate(ws.iter_rows(values_only=True)) for c, v in enumerate(row)
                if v is not None and v != ""}
        for key in sorted(set(ours) | set(theirs)):
            if key not in theirs or key not in ours or not _same(ours[key], theirs[key]):
                cell = f"{openpyxl.utils.get_column_letter(key[1] + 1)}{key[0] + 1}"
                problems.append(f"{xlsx.name}!{ws.title}!{cell}: junheng {ours.get(key)!r}, LibreOffice {theirs.get(key)!r}")
                if len(problems) > 20:
                    return problems
    wb.close()
    return problems


def check(files: list[Path], work: Path) -> list[str]:
    profile = work / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    xlsx = [f for f in files if f.suffix == ".xlsx"]
    docx = [f for f in files if f.suffix == ".docx"]
    problems = []
    log = soffice(profile, "pdf", work / "pdf", files)
    log += soffice(profile, CSV_FILTER, work / "csv", xlsx)
    for f in files:
        pdf = work / "pdf" / f"{f.stem}.pdf"
        if not pdf.is_file() or pdf_pages(pdf) == 0:
            problems.append(f"{f.name}：LibreOffice 无法转换为 PDF")
    for f in xlsx:
        problems += compare_sheets(f, work / "csv")
    for f in docx:
        import docx as python_docx

        title = next((p.text for p in python_docx.Document(str(f)).paragraphs if p.text.strip()), "")
        text = subprocess.run(["pdftotext", str(work / "pdf" / f"{f.stem}.pdf"), "-"], capture_output=True,
                              text=True).stdout
        if "".join(title.split()) not in "".join(text.split()):  # the title is broken over lines
            problems.append(f"{f.name}：PDF 中没有报告标题“{title}”")
    if problems:
        problems.append("LibreOffice 输出：\n" + log)
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="keep the files and conversions in this folder")
    args = ap.parse_args()
    for tool in ("soffice", "pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            print(f"check_office: {tool} not found (apt-get install libreoffice-calc-nogui "
                  "libreoffice-writer-nogui poppler-utils)", file=sys.stderr)
            return 2
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="junheng-office-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        files = produce(work / "files")
        problems = check(files, work)
    for p in problems:
        print(p, file=sys.stderr)
    kinds = f"{sum(f.suffix == '.xlsx' for f in files)} .xlsx, {sum(f.suffix == '.docx' for f in files)} .docx"
    print(f"check_office: {len(files)} files ({kinds}) opened in LibreOffice, {len(problems)} problems, "
          f"{time.monotonic() - start:.0f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
