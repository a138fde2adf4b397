from django.apps import AppConfig


class AiactConfig(AppConfig):
    name = "aims.aiact"
    label = "aiact"
    verbose_name = "EU AI Act: classification of AI systems and the obligations that follow"
