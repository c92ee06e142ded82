"""Search and duplicate detection fold the common romanisations to one form: "Yashlar" meets
"Ýaşlar", "Jamiyati" meets "Ҷамъияти", "Associatsiya" meets "Ассоциация", "Zhasil" meets
"Жасыл" (organizations.text.normalize_name). `portal_fold` learns the same folds, every stored
folded name is recomputed, and the index of folded texts is rebuilt.
"""

import importlib

from django.db import migrations

_initial = importlib.import_module("portal.migrations.0001_search")
_literal = _initial._literal

# Turkmen, Kazakh and Uzbek Latin letters that stand for a digraph.
UPPER_TO_LOWER = (_initial.UPPER_TO_LOWER[0] + "ŞÇŽ", _initial.UPPER_TO_LOWER[1] + "şçž")
MULTI_LETTERS = [*_initial.MULTI_LETTERS, ("ş", "sh"), ("ç", "ch"), ("ž", "zh")]
# The same folds, in the same order, as organizations.text.
FOLDS = [("dzh", "j"), ("dj", "j"), ("zh", "j"), ("shch", "sh"), ("kh", "h"), ("gh", "g"), ("ts", "c")]
SINGLE_FOLDS = ("qxwy", "khvi")


def fold_function_sql():
    expression = f"translate(value, {_literal(UPPER_TO_LOWER[0])}, {_literal(UPPER_TO_LOWER[1])})"
    for letter, latin in MULTI_LETTERS:
        expression = f"replace({expression}, {_literal(letter)}, {_literal(latin)})"
    singles = _initial.SINGLE_LETTERS
    expression = (
        f"lower(translate({expression}, {_literal(singles[0] + _initial.DROPPED)}, "
        f"{_literal(singles[1])}))"
    )
    expression = f"regexp_replace({expression}, '[^a-z0-9]+', ' ', 'g')"
    for variant, canonical in FOLDS:
        expression = f"replace({expression}, '{variant}', '{canonical}')"
    expression = f"translate({expression}, '{SINGLE_FOLDS[0]}', '{SINGLE_FOLDS[1]}')"
    expression = f"regexp_replace({expression}, '(^| )ie', '\\1e', 'g')"
    expression = f"regexp_replace({expression}, '([a-z])\\1+', '\\1', 'g')"
    return (
        "CREATE OR REPLACE FUNCTION portal_fold(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $fold$ SELECT btrim({expression}) $fold$"
    )


def refold(apps, schema_editor, fold_sql):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(fold_sql)
    Organization = apps.get_model("organizations", "Organization")
    if schema_editor.connection.vendor == "postgresql":
        Organization.objects.update(normalized_name=_portal_fold_of_name())
        schema_editor.execute("REINDEX INDEX organization_search_document")
    else:
        from organizations.text import normalize_name

        changed = []
        for organization in Organization.objects.only("pk", "name").iterator(chunk_size=1000):
            organization.normalized_name = normalize_name(organization.name)[:200]
            changed.append(organization)
        Organization.objects.bulk_update(changed, ["normalized_name"], batch_size=500)


def _portal_fold_of_name():
    from django.db.models import CharField, F, Func
    from django.db.models.functions import Left

    return Left(Func(F("name"), function="portal_fold", output_field=CharField()), 200)


def forwards(apps, schema_editor):
    refold(apps, schema_editor, fold_function_sql())


def backwards(apps, schema_editor):
    # SQLite keeps the new keys (its fold is the application's own function).
    if schema_editor.connection.vendor == "postgresql":
        refold(apps, schema_editor, _initial.fold_function_sql())


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_page_cache_generation"),
        ("organizations", "0006_review_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
