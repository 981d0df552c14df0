"""The Word 自评报告: template, GB/T 9704 styles, writer."""
