"""The caseload's name search is served by trigram indexes on PostgreSQL (a match anywhere
in a name cannot use a b-tree index: nationally the search read every parent)."""

import pytest
from django.db import connection

from babysteps.families.models import Family
from babysteps.families.selectors import family_search

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pg_trgm")
def test_the_name_search_can_use_the_trigram_indexes(cast):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'families_parent'"
        )
        indexes = dict(cursor.fetchall())
    for column in ("given_name", "family_name"):
        definition = indexes[f"parent_{column}_trgm"]
        assert "gin" in definition and "gin_trgm_ops" in definition
        assert f"upper(({column})::text)" in definition
    # The search's own SQL is answered from those indexes when the table is too big to read
    # whole (told here by turning the other plans off: the test database is tiny).
    sql, params = family_search(
        families=Family.objects.all(), query="Hughes"
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # a tiny table: no shortcuts
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "parent_family_name_trgm" in plan and "parent_given_name_trgm" in plan, plan
