"""pg_trgm declares its word-similarity operator as costing no more than an addition, so the
planner scans every organization's name rather than the trigram index (80 ms against 7 ms
with ten thousand organizations). Give the function its real weight.

A dump and restore recreates the extension with its own costs: run `migrate portal 0001` and
`migrate portal` again afterwards, or the same ALTER FUNCTION by hand.
"""

from django.db import migrations


def set_cost(cost):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER FUNCTION word_similarity_commutator_op(text, text) COST {cost}"
            )

    return operation


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_search")]

    operations = [migrations.RunPython(set_cost(100), set_cost(1), elidable=False)]
