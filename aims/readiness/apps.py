from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "aims.readiness"
    label = "readiness"
    verbose_name = "readiness: the auditor's judgement over the record"
