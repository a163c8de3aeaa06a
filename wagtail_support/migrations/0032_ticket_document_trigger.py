"""A new ticket's search document (0022) built by statements PL/pgSQL keeps prepared.

The BEFORE INSERT trigger called ``ws_ticket_document()``, an SQL function whose statement
PostgreSQL plans again in every transaction: on the contact form and the inbound pipeline, a
ticket per transaction, that planning cost more than the document itself (0.3–0.5 ms of
0.4–0.5 ms per new ticket on the 100,000-ticket desk; 0.15–0.3 ms with this). The same words,
read the same way; ``ws_ticket_document()`` stays for the rebuilding trigger and for checks.
"""

from django.db import migrations

INSTALL_SQL = r"""
CREATE OR REPLACE FUNCTION ws_ticket_search_document() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    body text;
BEGIN
    -- Messages written before their ticket in one transaction (as a bulk COPY may) count too.
    SELECT string_agg(m.text, E'\n' ORDER BY m.created_at, m.id) INTO body
    FROM wagtail_support_message m WHERE m.ticket_id = NEW.id;
    NEW.search_document := ws_search_merge(
        ws_search_words(NEW.subject || ' ' || NEW.customer_name), ws_search_words(body)
    );
    RETURN NEW;
END
$$;
"""

# 0022's definition.
DROP_SQL = r"""
CREATE OR REPLACE FUNCTION ws_ticket_search_document() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.search_document := ws_ticket_document(NEW.id, NEW.subject, NEW.customer_name);
    RETURN NEW;
END
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL_SQL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("wagtail_support", "0031_merged_and_moved")]

    operations = [migrations.RunPython(install, uninstall)]
