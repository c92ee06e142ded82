import datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone


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


class RateLimitCounter(models.Model):
    """Requests of one client to one rate-limited form in one time window.

    In the database rather than the cache: every worker and server counts together whatever
    CACHE_URL is, and a cache outage cannot lift or break a limit.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "rate limit counter"

    def __str__(self):
        return f"{self.key}: {self.count}"

    @classmethod
    def hit(cls, key, ends):
        """Count one request under key (a window ending at the epoch second ends); the total."""
        increment = {"count": models.F("count") + 1}
        with transaction.atomic():
            if not cls.objects.filter(key=key).update(**increment):
                expires_at = datetime.datetime.fromtimestamp(ends, tz=datetime.UTC)
                # A new window: the windows that ended are of no use any more.
                cls.objects.filter(expires_at__lt=timezone.now()).delete()
                try:
                    with transaction.atomic():
                        cls.objects.create(key=key, count=1, expires_at=expires_at)
                except IntegrityError:  # another worker opened the same window just now
                    cls.objects.filter(key=key).update(**increment)
        return cls.used(key)

    @classmethod
    def used(cls, key):
        return cls.objects.filter(key=key).values_list("count", flat=True).first() or 0
