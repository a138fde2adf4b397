from django.urls import path

from aims.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.requirement_list, name="list"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/<str:framework>/", views.framework_detail, name="framework"),
    path("frameworks/<str:framework>/<str:ref>/", views.framework_requirement,
         name="requirement"),
    path("<str:ref>/", views.requirement_detail, name="detail"),
]
