from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "junheng.web.ledgers"
    label = "ledgers"
    verbose_name = "工作台账"

    def ready(self) -> None:
        from junheng.web.ledgers.rectification import signals  # noqa: F401 - connects the closure check
