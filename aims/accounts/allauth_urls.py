"""allauth's pages as aims serves them: everything allauth routes except its deprecated,
unnamed redirects from the old `social/…` addresses (aims never linked to them), so every
page of the site has a name the route matrices can reverse."""

from allauth import urls as allauth_urls
from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = [
    p for p in allauth_urls.urlpatterns if not (isinstance(p, URLPattern) and p.name is None)]
