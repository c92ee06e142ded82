from django.db import models


class PageCacheGeneration(models.Model):
    """A counter that every write to the portal's content increments.

    Cached public pages carry it in their key, so a page cached before a change is never served
    after it, whichever worker or process made the change. One row, read once per cached request.
    """

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "page cache generation"

    def __str__(self):
        return str(self.value)
