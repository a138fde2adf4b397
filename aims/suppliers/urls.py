"""Suppliers and customers."""
from django.urls import path

from aims.suppliers import views

app_name = "suppliers"
urlpatterns = [
    path("", views.supplier_list, name="list"),
    path("new/", views.supplier_create, name="create"),
    path("<uuid:supplier_id>/", views.supplier_detail, name="detail"),
    path("<uuid:supplier_id>/edit/", views.supplier_edit, name="edit"),
    path("<uuid:supplier_id>/delete/", views.supplier_delete, name="delete"),
    path("<uuid:supplier_id>/due-diligence/", views.diligence_edit, name="diligence_edit"),
    path("<uuid:supplier_id>/review/", views.review_create, name="review_create"),
    path("<uuid:supplier_id>/responsibilities/add/", views.responsibility_add,
         name="responsibility_add"),
    path("<uuid:supplier_id>/responsibilities/<uuid:allocation_id>/edit/",
         views.responsibility_edit, name="responsibility_edit"),
    path("<uuid:supplier_id>/responsibilities/<uuid:allocation_id>/delete/",
         views.responsibility_delete, name="responsibility_delete"),
]
