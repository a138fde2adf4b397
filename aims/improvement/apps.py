from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "aims.improvement"
    label = "improvement"
    verbose_name = "Incidents, nonconformities and improvement"
