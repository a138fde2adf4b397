from django.apps import AppConfig


class TechfileConfig(AppConfig):
    name = "aims.techfile"
    label = "techfile"
    verbose_name = "EU AI Act documents"
