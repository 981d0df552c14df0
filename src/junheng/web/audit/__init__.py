"""The audit log: who changed what, when (field, old → new)."""
