"""Regenerate the bundled sample workbook: ``python -m junheng.sample``."""
from junheng.sample import SAMPLE_XLSX, generate, write_school_table

if __name__ == "__main__":
    SAMPLE_XLSX.parent.mkdir(parents=True, exist_ok=True)
    write_school_table(generate(), SAMPLE_XLSX)
    print(SAMPLE_XLSX)
