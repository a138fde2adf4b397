from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "aims.compliance"
    label = "compliance"
