from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "junheng.web.areas"
    label = "areas"
    verbose_name = "区域、学校与账号"

    def ready(self) -> None:
        # django-axes (login throttling) names its section “Axes” in 系统管理, untranslated
        from django.apps import apps

        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = "登录限制"
