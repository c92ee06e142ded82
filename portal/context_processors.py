from django.conf import settings
from django.templatetags.static import static


def portal(request):
    """Values every page's frame needs: the portal's name, this page's address and the default
    picture of its sharing tags, both absolute on the address the portal is served on."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PAGE_URL": request.build_absolute_uri(request.path),
        "SHARE_IMAGE_URL": request.build_absolute_uri(static("img/share.png")),
    }
