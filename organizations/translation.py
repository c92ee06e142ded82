from modeltranslation.translator import TranslationOptions, register

from .models import FocusArea, SustainableDevelopmentGoal


@register(FocusArea)
class FocusAreaTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalTranslationOptions(TranslationOptions):
    fields = ("name",)
