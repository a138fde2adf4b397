from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "aims.audits"
    label = "audits"
    verbose_name = "Internal audits"
