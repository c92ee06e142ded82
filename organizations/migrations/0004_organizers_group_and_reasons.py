"""The "Organizers" group with every permission of the portal's apps, and the first review
reasons in English and Russian. `organizations.apps` keeps the group's permissions in step with
models added later."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PORTAL_APPS = ["organizations", "events", "portal"]
# Organizers see accounts but cannot change them: changing users could make superusers.
EXTRA_PERMISSIONS = [("auth", "view_user"), ("auth", "view_group")]

REASONS = [
    (
        "changes_requested",
        "Registration number missing or wrong",
        "Номер регистрации отсутствует или неверен",
        "Please check your organization's national registration number: it is missing or does "
        "not match the registry. If your registration is still under way, say so in the "
        "description.",
        "Проверьте, пожалуйста, национальный регистрационный номер организации: он не указан "
        "или не совпадает с реестром. Если регистрация ещё не завершена, напишите об этом в "
        "описании.",
    ),
    (
        "changes_requested",
        "Description too short",
        "Слишком короткое описание",
        "Please describe in a few sentences your organization's mission, its main activities "
        "and the communities it works with.",
        "Опишите, пожалуйста, в нескольких предложениях миссию организации, её основную "
        "деятельность и сообщества, с которыми она работает.",
    ),
    (
        "changes_requested",
        "Contact details incomplete",
        "Неполные контактные данные",
        "Please add a working public email address or website, so that partners can reach you.",
        "Добавьте, пожалуйста, действующий публичный адрес электронной почты или сайт, чтобы "
        "партнёры могли с вами связаться.",
    ),
    (
        "rejected",
        "Not a civil society organization",
        "Не организация гражданского общества",
        "The network brings together non-governmental, non-profit civil society organizations. "
        "From the information provided, your organization does not appear to be one.",
        "Сеть объединяет неправительственные некоммерческие организации гражданского общества. "
        "По представленным сведениям ваша организация к ним не относится.",
    ),
    (
        "rejected",
        "Duplicate registration",
        "Повторная регистрация",
        "Your organization is already registered on the portal. Please ask the people who "
        "manage its profile to invite you as an editor.",
        "Ваша организация уже зарегистрирована на портале. Попросите тех, кто ведёт её профиль, "
        "пригласить вас в качестве редактора.",
    ),
    (
        "suspended",
        "Information no longer accurate",
        "Сведения устарели",
        "Your organization's profile has been suspended because its information appears to be "
        "out of date or inaccurate. Please contact the organizers.",
        "Профиль вашей организации приостановлен: сведения в нём, по-видимому, устарели или "
        "неточны. Свяжитесь, пожалуйста, с организаторами.",
    ),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Organizers")
    permissions = list(Permission.objects.filter(content_type__app_label__in=PORTAL_APPS))
    for app_label, codename in EXTRA_PERMISSIONS:
        permissions += list(
            Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
    group.permissions.add(*permissions)


def create_reasons(apps, schema_editor):
    ReviewReasonTemplate = apps.get_model("organizations", "ReviewReasonTemplate")
    for order, (kind, title_en, title_ru, text_en, text_ru) in enumerate(REASONS):
        ReviewReasonTemplate.objects.update_or_create(
            kind=kind,
            title_en=title_en,
            defaults={
                "title": title_en,
                "title_ru": title_ru,
                "text": text_en,
                "text_en": text_en,
                "text_ru": text_ru,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_review_workflow"),
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_group, migrations.RunPython.noop),
        migrations.RunPython(create_reasons, migrations.RunPython.noop),
    ]
