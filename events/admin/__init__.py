"""The organizers' side of events: `programme` (events, sessions, speakers), `delegates`
(delegates, exports, report) and what they share in `common`. Importing the package registers
them all with the admin site."""

from . import delegates, feedback, programme  # noqa: F401
