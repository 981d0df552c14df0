"""A new snapshot runs the closure check of its county after the transaction commits, in the job
runner (huey; immediate in tests), so freezing stays quick (rectification/closure.py)."""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from junheng.web.snapshots.models import Snapshot


@receiver(post_save, sender=Snapshot, dispatch_uid="ledgers-closure-on-freeze")
def _snapshot_frozen(sender, instance: Snapshot, created: bool, **kwargs) -> None:
    if not created:
        return
    from junheng.web.ledgers.tasks import closure_task

    county_id = instance.county_id
    transaction.on_commit(lambda: closure_task(county_id))
