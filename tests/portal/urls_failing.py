from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def fail(request):
    raise RuntimeError("A deliberate failure for the 500 page test")


urlpatterns = [path("fail/", fail), *portal_urlpatterns]
