from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "aims.records"
    label = "records"
    verbose_name = "records: the write contract, record kinds and hooks"
