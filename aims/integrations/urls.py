from django.urls import path

from aims.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<uuid:integration_token_id>/revoke/", views.token_revoke, name="revoke"),
    path("model-card/<uuid:system_id>/", views.model_card, name="model_card"),
]
