from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "aims.tasks"
    label = "tasks"
    verbose_name = "Tasks"
