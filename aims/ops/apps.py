from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "aims.ops"
    label = "ops"
    verbose_name = "the aims command line"
