from django.urls import path

from aims.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.pack, name="pack"),
]
