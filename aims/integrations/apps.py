from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "aims.integrations"
    label = "integrations"
    verbose_name = "Integrations: pipeline tokens, pushed evidence and model cards"
