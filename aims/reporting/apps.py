from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "aims.reporting"
    label = "reporting"
