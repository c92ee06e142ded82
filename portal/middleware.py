"""A cap on the size of a request, files included, in Django itself.

DATA_UPLOAD_MAX_MEMORY_SIZE leaves out uploaded files, so without this a 50 MB upload would be
read to disk whenever no proxy caps it. A body over REQUEST_MAX_BYTES is refused (413) before
anything reads it.
"""

from django.conf import settings
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return render(
                request,
                "413.html",
                {"megabytes": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)
