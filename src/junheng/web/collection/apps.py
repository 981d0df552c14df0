from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "junheng.web.collection"
    label = "collection"
    verbose_name = "数据填报"
