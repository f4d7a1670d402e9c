"""After a bulk load, let the database's query planner see the new data."""

from django.db import connection


def refresh_statistics():
    """ANALYZE, on PostgreSQL and SQLite alike.

    Tables filled a moment ago have no statistics until autovacuum gets to them: the planner
    then assumes a row or two and picks nested loops (measured: the news filters' list of
    mentioned institutions took 4.5 ms instead of under 1 after 1,000 articles were loaded).
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
