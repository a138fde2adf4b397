from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "aims.members"
    label = "members"
