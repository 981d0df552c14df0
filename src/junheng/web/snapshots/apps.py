from django.apps import AppConfig


class SnapshotsConfig(AppConfig):
    name = "junheng.web.snapshots"
    label = "snapshots"
    verbose_name = "数据快照与评估"
