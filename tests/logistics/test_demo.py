import pytest
from django.core.management import call_command

from events.models import Delegate
from logistics.models import Badge, Hotel, Letter, TravelStay

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_hotel_letters_and_badges_and_loads_twice(reference_data):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    assert Hotel.objects.count() == 1
    assert TravelStay.objects.filter(room_block__isnull=False).count() == 3
    assert Letter.objects.count() == 3
    assert Badge.objects.count() == Delegate.objects.confirmed().count() > 0
