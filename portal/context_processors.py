from django.conf import settings


def portal(request):
    """Values every page's frame needs."""
    return {"PORTAL_NAME": settings.PORTAL_NAME}
