from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import FocusArea, Membership, Organization, ReviewLogEntry, SustainableDevelopmentGoal


@admin.register(FocusArea)
class FocusAreaAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(TranslationAdmin):
    list_display = ["number", "name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "status", "visibility", "submitted_at"]
    list_filter = ["status", "country", "visibility", "legal_form"]
    search_fields = ["name", "name_local", "acronym", "registration_number", "public_email"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["organization"]


@admin.register(ReviewLogEntry)
class ReviewLogEntryAdmin(admin.ModelAdmin):
    list_display = ["organization", "from_status", "to_status", "by", "created_at"]
    list_select_related = ["organization", "by"]
