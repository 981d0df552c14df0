"""Excel outputs: the assessment workbook (``assess -o x.xlsx``) and the official county tables (``report``)."""
