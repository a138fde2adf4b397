from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "aims.findings"
    label = "findings"
    verbose_name = "Security findings on AI systems"
