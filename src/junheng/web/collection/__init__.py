"""School-year records: the entry form, the Excel round trip, the county bulk import, the workflow."""
