from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import CountryQuota, Event, Room, Session, SessionSpeaker, Speaker, Track


class TrackInline(TranslationTabularInline):
    model = Track
    extra = 0


class RoomInline(TranslationTabularInline):
    model = Room
    extra = 0


class CountryQuotaInline(admin.TabularInline):
    model = CountryQuota
    extra = 0


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ["title", "start_date", "end_date", "city", "status"]
    list_filter = ["status", "country"]
    search_fields = ["title", "city"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [TrackInline, RoomInline, CountryQuotaInline]


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 0
    autocomplete_fields = ["speaker"]


@admin.register(Session)
class SessionAdmin(TranslationAdmin):
    list_display = ["title", "event", "starts_at", "room", "kind"]
    list_filter = ["event", "kind"]
    list_select_related = ["event", "room"]
    search_fields = ["title"]
    inlines = [SessionSpeakerInline]


@admin.register(Speaker)
class SpeakerAdmin(TranslationAdmin):
    list_display = ["name", "position", "institution", "precedence"]
    search_fields = ["name", "institution"]
    prepopulated_fields = {"slug": ["name"]}
