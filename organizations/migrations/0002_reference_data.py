"""The 17 Sustainable Development Goals and the network's focus areas, in English and Russian."""

from django.db import migrations

SDGS = [
    (1, "No poverty", "Ликвидация нищеты"),
    (2, "Zero hunger", "Ликвидация голода"),
    (3, "Good health and well-being", "Хорошее здоровье и благополучие"),
    (4, "Quality education", "Качественное образование"),
    (5, "Gender equality", "Гендерное равенство"),
    (6, "Clean water and sanitation", "Чистая вода и санитария"),
    (7, "Affordable and clean energy", "Недорогостоящая и чистая энергия"),
    (8, "Decent work and economic growth", "Достойная работа и экономический рост"),
    (9, "Industry, innovation and infrastructure", "Индустриализация, инновации и инфраструктура"),
    (10, "Reduced inequalities", "Уменьшение неравенства"),
    (11, "Sustainable cities and communities", "Устойчивые города и населённые пункты"),
    (12, "Responsible consumption and production", "Ответственное потребление и производство"),
    (13, "Climate action", "Борьба с изменением климата"),
    (14, "Life below water", "Сохранение морских экосистем"),
    (15, "Life on land", "Сохранение экосистем суши"),
    (16, "Peace, justice and strong institutions", "Мир, правосудие и эффективные институты"),
    (17, "Partnerships for the goals", "Партнёрство в интересах устойчивого развития"),
]

FOCUS_AREAS = [
    ("digital-transformation", "Digital transformation", "Цифровая трансформация"),
    ("climate-environment", "Climate and environment", "Климат и окружающая среда"),
    ("energy", "Energy", "Энергетика"),
    ("transport", "Transport", "Транспорт"),
    ("health", "Health", "Здравоохранение"),
    ("education-research", "Education and research", "Образование и наука"),
    ("youth", "Youth", "Молодёжь"),
    ("women-gender", "Women's empowerment and gender equality",
     "Расширение прав и возможностей женщин и гендерное равенство"),
    ("human-rights", "Human rights and rule of law", "Права человека и верховенство права"),
    ("governance", "Good governance and transparency", "Надлежащее управление и прозрачность"),
    ("social-inclusion", "Social inclusion", "Социальная инклюзия"),
    ("culture-heritage", "Culture and heritage", "Культура и наследие"),
]


def create(apps, schema_editor):
    Goal = apps.get_model("organizations", "SustainableDevelopmentGoal")
    FocusArea = apps.get_model("organizations", "FocusArea")
    for number, name_en, name_ru in SDGS:
        Goal.objects.update_or_create(
            number=number, defaults={"name": name_en, "name_en": name_en, "name_ru": name_ru}
        )
    for order, (slug, name_en, name_ru) in enumerate(FOCUS_AREAS, start=1):
        FocusArea.objects.update_or_create(
            slug=slug,
            defaults={"name": name_en, "name_en": name_en, "name_ru": name_ru, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
