"""Search support on PostgreSQL: trigram similarity; `portal_fold(text)`, the database's copy of
organizations.text.normalize_name, so that a Latin query finds Cyrillic names, cities and
descriptions (and the other way round); and indexes that make searching ten thousand
organizations fast (see organizations/search.py). All of it does nothing on SQLite, where the
search registers normalize_name itself as the same SQL function on each connection.

The letter tables below were generated once from Unidecode, as organizations.text uses it;
tests/organizations/test_search.py checks on PostgreSQL that both give the same keys.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

UPPER_TO_LOWER = (
    "ÆÞŒЁЄЇЖХЦЧШЩЮЯҖҤ",
    "æþœёєїжхцчшщюяҗҥ",
)
MULTI_LETTERS = [
    ("№", "no"),  # "Школа № 5"
    ("ß", "ss"),
    ("æ", "ae"),
    ("þ", "th"),
    ("œ", "oe"),
    ("ж", "zh"),
    ("х", "kh"),
    ("ц", "ts"),
    ("ч", "ch"),
    ("ш", "sh"),
    ("щ", "shch"),
    ("ю", "iu"),
    ("я", "ia"),
    ("ё", "io"),
    ("є", "ie"),
    ("ї", "yi"),
    ("җ", "zh"),
    ("ҥ", "ng"),
]
SINGLE_LETTERS = (
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂ"
    "ăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľĿŀ"
    "ŁłŃńŅņŇňŉŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſІ"
    "ЈЍЎАБВГДЕЗИЙКЛМНОПРСТУФЫЭабвгдезийклмнопрстуфыэіјѝўѠѡѢѣѦѧѪѫѲ"
    "ѳѴѵѶѷѸѹѺѻѼѽҀҁҎҏҐґҒғҔҕҘҙҚқҜҝҞҟҠҡҢңҦҧҪҫҬҭҮүҰұҲҳҶҷҺһӃӄӇӈӐӑӒӓӘәӞ"
    "ӟӢӣӤӥӦӧӨөӪӫӬӭӮӯӰӱӲӳӸӹ",
    "aaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyyaaa"
    "aaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkkllllllll"
    "llnnnnnnnoooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzsi"
    "jioabvgdeziiklmnoprstufyeabvgdeziiklmnoprstufyeijioooeeeeoof"
    "fyyyyuuooooqqrrggggggzzqqkkkkkknnppssttuuuuhhjjhhkknnaaaaaaz"
    "ziiiiooooooeeuuuuuuyy",
)
DROPPED = "'`ʻʼ‘’ЪЬъьҊҋӀӅӆӉӊӍӎӏӶӷӺӻӼӽӾӿ"


def _literal(text):
    return "'" + text.replace("'", "''") + "'"


def fold_function_sql():
    expression = f"translate(value, {_literal(UPPER_TO_LOWER[0])}, {_literal(UPPER_TO_LOWER[1])})"
    for letter, latin in MULTI_LETTERS:
        expression = f"replace({expression}, {_literal(letter)}, {_literal(latin)})"
    expression = (
        f"lower(translate({expression}, {_literal(SINGLE_LETTERS[0] + DROPPED)}, "
        f"{_literal(SINGLE_LETTERS[1])}))"
    )
    expression = f"regexp_replace({expression}, '[^a-z0-9]+', ' ', 'g')"
    # The same folds, in the same order, as organizations.text._FOLDS.
    for variant, canonical in [("dzh", "j"), ("zh", "j"), ("kh", "h")]:
        expression = f"replace({expression}, '{variant}', '{canonical}')"
    expression = f"btrim(replace(translate({expression}, 'qxw', 'khv'), 'yo', 'e'))"
    return (
        "CREATE OR REPLACE FUNCTION portal_fold(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $fold$ SELECT {expression} $fold$"
    )


# The search document of an organization: its texts, folded, as one tsvector. An expression
# index on the organizations table keeps it, so that a search never folds ten thousand
# descriptions at query time. plpgsql and a high cost keep the planner on the index.
SEARCH_DOCUMENT_SQL = """
CREATE OR REPLACE FUNCTION portal_search_document(
    name text, name_local text, acronym text, city text, description text
) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 5000
SET search_path FROM CURRENT
AS $document$
BEGIN
    RETURN to_tsvector(
        'simple'::regconfig,
        coalesce(portal_fold(concat_ws(' ', name, name_local, acronym, city, description)), '')
    );
END
$document$
"""

INDEXES_SQL = [
    "CREATE INDEX IF NOT EXISTS organization_search_document ON organizations_organization "
    "USING gin (portal_search_document(name, name_local, acronym, city, description))",
    # Typos in names: the %> operator of pg_trgm, on the stored, already folded name.
    "CREATE INDEX IF NOT EXISTS organization_normalized_name_trigram "
    "ON organizations_organization USING gin (normalized_name gin_trgm_ops)",
]


def create_search_support(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(fold_function_sql())
    schema_editor.execute(SEARCH_DOCUMENT_SQL)
    for statement in INDEXES_SQL:
        schema_editor.execute(statement)


def drop_search_support(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS organization_normalized_name_trigram")
    schema_editor.execute("DROP INDEX IF EXISTS organization_search_document")
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS portal_search_document(text, text, text, text, text)"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_fold(text)")


class Migration(migrations.Migration):
    # The indexes are on the organizations table, which this app does not own: it only adds
    # them (Django's own migrations of that table know nothing of them and need not).
    dependencies = [("organizations", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_search_support, drop_search_support, elidable=False),
    ]
