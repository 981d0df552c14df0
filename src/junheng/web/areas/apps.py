from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "junheng.web.areas"
    label = "areas"
    verbose_name = "区域、学校与账号"
