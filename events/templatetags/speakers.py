from django import template

from .. import photos

register = template.Library()


@register.simple_tag
def speaker_photo_sources(photo):
    """{"small": …, "large": …}: the addresses of a speaker's photo in its two sizes."""
    return {"small": photos.small_url(photo), "large": photo.url}
