import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_suite_runs_on_postgresql_with_the_extensions_search_needs():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 130000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent')"
        )
        assert {row[0] for row in cursor.fetchall()} == {"pg_trgm", "unaccent"}
