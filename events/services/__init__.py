"""Writes on events that the admin's actions, the /my/ pages and the shell share.

`editions` publishes, unpublishes, cancels and copies events; `delegates` registers delegates
and books session seats under the event's lock. Both are importable from here, as
`events.services.delegate_register` and so on.
"""

from .delegates import (
    DELEGATE_FIELDS,
    DelegateRefused,
    Seats,
    changes_refusal,
    check_email_free,
    delegate_cancel,
    delegate_confirm,
    delegate_delete,
    delegate_move_to_waiting_list,
    delegate_register,
    delegate_update,
    event_fill_free_seats,
    registration_refusal,
    seat_summary,
    session_book,
    session_fill_free_seats,
    session_seats_taken,
    session_unbook,
)
from .editions import (
    event_cancel,
    event_copy_as_next_edition,
    event_publish,
    event_unpublish,
    next_edition_slug,
    shift_by_years,
)

__all__ = [
    "DELEGATE_FIELDS",
    "DelegateRefused",
    "Seats",
    "changes_refusal",
    "check_email_free",
    "delegate_cancel",
    "delegate_confirm",
    "delegate_delete",
    "delegate_move_to_waiting_list",
    "delegate_register",
    "delegate_update",
    "event_cancel",
    "event_copy_as_next_edition",
    "event_fill_free_seats",
    "event_publish",
    "event_unpublish",
    "next_edition_slug",
    "registration_refusal",
    "seat_summary",
    "session_book",
    "session_fill_free_seats",
    "session_seats_taken",
    "session_unbook",
    "shift_by_years",
]
