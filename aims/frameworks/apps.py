from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "aims.frameworks"
    label = "frameworks"
    verbose_name = "frameworks: what the ISO/IEC 42001 record covers of the others"
