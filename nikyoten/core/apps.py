from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nikyoten.core"
    label = "core"
    verbose_name = "nikyoten core"
