from modeltranslation.translator import TranslationOptions, register

from .models import FocusArea, ReviewReasonTemplate, SustainableDevelopmentGoal


@register(FocusArea)
class FocusAreaTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(ReviewReasonTemplate)
class ReviewReasonTemplateTranslationOptions(TranslationOptions):
    fields = ("title", "text")
