import factory
from django.utils import timezone

from news.models import Newsletter, Post


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Network news {n}")
    title_en = factory.SelfAttribute("title")
    slug = factory.Sequence(lambda n: f"network-news-{n}")
    summary_en = "What happened in the network."
    body_en = "The **forum** met in Almaty."
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Newsletter
        skip_postgeneration_save = True

    subject_en = "Registration for the forum is open"
    subject_ru = "Открыта регистрация на форум"
    body_en = "Register your **delegates** now: [the forum](https://example.org/forum/)."
    body_ru = "Зарегистрируйте **делегатов**: [форум](https://example.org/forum/)."
    people = Newsletter.People.MEMBERS
    organization_statuses = ["approved"]
