"""The county's work ledgers (docs/ledgers.md): 整改台账 (rectification/), 日报/周报 (digests)."""
