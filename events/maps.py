"""A small map of where an event takes place, drawn on the server from data shipped here.

The venue's point among the network's main cities on a plain latitude/longitude grid: an
inline SVG, so the page loads nothing from another site and stays within the
Content-Security-Policy. The page links to OpenStreetMap for the street map; following that link
is the visitor's choice.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# (name, latitude, longitude) of the cities the map names.
CITIES = [
    (_("Astana"), 51.1694, 71.4491),
    (_("Almaty"), 43.2389, 76.8897),
    (_("Shymkent"), 42.3417, 69.5901),
    (_("Aktobe"), 50.2839, 57.1670),
    (_("Bishkek"), 42.8746, 74.5698),
    (_("Osh"), 40.5283, 72.7985),
    (_("Dushanbe"), 38.5598, 68.7870),
    (_("Khujand"), 40.2826, 69.6222),
    (_("Ashgabat"), 37.9601, 58.3261),
    (_("Tashkent"), 41.2995, 69.2401),
    (_("Samarkand"), 39.6270, 66.9750),
    (_("Nukus"), 42.4531, 59.6103),
]
# The drawn area (degrees) and its size (SVG units).
WEST, EAST, SOUTH, NORTH = 52.0, 82.0, 36.0, 53.0
WIDTH = 480
OSM_ZOOM = 17


@dataclass
class Point:
    name: str
    x: float
    y: float
    label_x: float
    anchor: str


def _projection():
    """Equirectangular, scaled by the cosine of the middle latitude: true to shape here."""
    scale = WIDTH / ((EAST - WEST) * math.cos(math.radians((NORTH + SOUTH) / 2)))
    x_scale = scale * math.cos(math.radians((NORTH + SOUTH) / 2))

    def project(latitude, longitude):
        return round((longitude - WEST) * x_scale, 1), round((NORTH - latitude) * scale, 1)

    return project, round((NORTH - SOUTH) * scale)


def _point(name, latitude, longitude, project):
    x, y = project(latitude, longitude)
    # Labels on the side with room: the right, except in the east.
    right = x < WIDTH * 0.8
    return Point(str(name), x, y, x + 7 if right else x - 7, "start" if right else "end")


def openstreetmap_url(latitude, longitude):
    return (
        f"https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}"
        f"#map={OSM_ZOOM}/{latitude}/{longitude}"
    )


def venue_map(event):
    """What the map template draws, or None when the event has no coordinates or lies outside
    the drawn area (then only the OpenStreetMap link is offered)."""
    if not event.has_map:
        return None
    latitude, longitude = float(event.latitude), float(event.longitude)
    link = openstreetmap_url(event.latitude, event.longitude)
    if not (SOUTH <= latitude <= NORTH and WEST <= longitude <= EAST):
        return {"openstreetmap_url": link, "drawn": False}
    project, height = _projection()
    venue = _point(event.venue or event.city, latitude, longitude, project)
    cities = [
        _point(name, lat, lon, project)
        for name, lat, lon in CITIES
        # A city right next to the venue would only hide its label.
        if math.dist(project(lat, lon), (venue.x, venue.y)) > 12
    ]
    grid = {
        "meridians": [
            project(NORTH, lon)[0] for lon in range(math.ceil(WEST / 5) * 5, int(EAST) + 1, 5)
        ],
        "parallels": [
            project(lat, WEST)[1] for lat in range(math.ceil(SOUTH / 5) * 5, int(NORTH) + 1, 5)
        ],
    }
    return {
        "openstreetmap_url": link,
        "drawn": True,
        "width": WIDTH,
        "height": height,
        "venue": venue,
        "cities": cities,
        "grid": grid,
    }
