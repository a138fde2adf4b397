# Placeholder routes while the context UI is built (replaced in this same change).
from django.http import HttpResponse
from django.urls import path

app_name = "context"


def _wip(request, slug):
    return HttpResponse("context UI in progress")


urlpatterns = [
    path("scope/", _wip, name="scope"),
    path("issues/", _wip, name="issues"),
    path("parties/", _wip, name="parties"),
]
