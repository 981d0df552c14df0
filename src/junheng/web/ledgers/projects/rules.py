"""Late milestones (pure): a milestone not done is late from the day after its date; one done
after its date was late (docs/ledgers.md "攻坚作战一览表")."""
from __future__ import annotations

import datetime as dt


def milestone_late(due: dt.date, done_on: dt.date | None, today: dt.date) -> bool:
    """True when the milestone missed its date: not done and ``today > due``, or done after ``due``."""
    return done_on > due if done_on is not None else today > due


def project_late(milestones, today: dt.date) -> bool:
    """True when any of ``milestones`` — (due, done_on) pairs — is late and not yet done."""
    return any(done is None and milestone_late(due, None, today) for due, done in milestones)
