from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "aims.activity"
    label = "activity"
