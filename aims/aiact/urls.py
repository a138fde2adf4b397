from django.urls import path

from aims.aiact import views

app_name = "aiact"
urlpatterns = [
    path("obligations/", views.calendar, name="calendar"),
    path("obligations/<uuid:item_id>/", views.obligation, name="obligation"),
    path("obligations/<uuid:item_id>/edit/", views.obligation_edit, name="obligation_edit"),
    path("obligations/<uuid:item_id>/row/", views.obligation_row, name="obligation_row"),
    path("ai-systems/<uuid:system_id>/classification/", views.classification,
         name="classification"),
    path("ai-systems/<uuid:system_id>/classification/versions/", views.versions,
         name="versions"),
]
