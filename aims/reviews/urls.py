from django.urls import path

from aims.reviews import views

app_name = "reviews"
ONE = "<uuid:review_id>/"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path(ONE, views.review_detail, name="detail"),
    path(ONE + "edit/", views.review_edit, name="edit"),
    path(ONE + "delete/", views.review_delete, name="delete"),
    path(ONE + "refresh/", views.review_refresh, name="refresh"),
    path(ONE + "hold/", views.review_hold, name="hold"),
    path(ONE + "pack.pdf", views.review_pack, name="pdf"),
    path(ONE + "agenda/<uuid:item_id>/minutes/", views.item_minutes, name="minutes"),
    path(ONE + "decisions/new/", views.decision_add, name="decision_add"),
    path(ONE + "decisions/<uuid:decision_id>/delete/", views.decision_delete,
         name="decision_delete"),
]
