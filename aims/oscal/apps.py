from django.apps import AppConfig


class OscalConfig(AppConfig):
    name = "aims.oscal"
    label = "oscal"
    verbose_name = "OSCAL: the AIMS exchanged with other compliance tools"
