from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "aims.jobs"
    label = "jobs"
