from modeltranslation.translator import TranslationOptions, register

from .models import Event, Room, Session, Speaker, Track


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "city",
        "venue",
        "address",
        "directions",
        "summary",
        "description",
        "how_to_take_part",
    )


@register(Track)
class TrackTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Room)
class RoomTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Session)
class SessionTranslationOptions(TranslationOptions):
    fields = ("title", "description", "interpretation")


@register(Speaker)
class SpeakerTranslationOptions(TranslationOptions):
    fields = ("position", "institution", "bio")
