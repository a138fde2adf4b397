from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "aims.exchange"
    label = "exchange"
    verbose_name = "exchange: the audit pack for a period, and checking one offline"
