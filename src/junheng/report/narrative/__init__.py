"""What the documents say, decided once: the report as blocks (blocks.py), its sentences
(report.py for the school-level sections, county.py for the county checks, phrases.py), the
resource shortfalls (shortfalls.py) and the one number formatter (numbers.py). The Word, HTML,
Excel and console writers only lay this out; none of them words a verdict of its own."""
