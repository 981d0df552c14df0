"""整改台账: items, their statuses, closure by the data, the inspectors' problem list, exports."""
