from django.db import models


class PageCacheGeneration(models.Model):
    """A counter bumped when a change to the portal's content could not reach the cache.

    Cached public pages carry it in their key, so a page cached before a change made while the
    cache was failing is never served after it. One row, read by each process at most every few
    seconds (portal/cache.py).
    """

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "page cache generation"

    def __str__(self):
        return str(self.value)
