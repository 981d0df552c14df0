"""控辍保学: the school-age roll, 疑似辍学 derived, 辍学 confirmed, 七长责任制, 劝返, closure (docs/ledgers.md)."""
