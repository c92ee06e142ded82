from modeltranslation.translator import TranslationOptions, register

from .models import Newsletter, Post


@register(Post)
class PostTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "image_alt")


@register(Newsletter)
class NewsletterTranslationOptions(TranslationOptions):
    fields = ("subject", "body")
