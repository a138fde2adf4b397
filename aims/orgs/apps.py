from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "aims.orgs"
    label = "orgs"
