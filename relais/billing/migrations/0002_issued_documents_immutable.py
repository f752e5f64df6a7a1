"""The database refuses to rewrite an issued statement or credit note.

An issued (or paid) statement keeps its number, month, pharmacy, totals and issue date; its
status only moves forward (issued → paid); its lines can no longer be inserted, changed or
deleted, and neither it nor a credit note (or their lines) can be deleted or updated.
"""

from django.db import migrations

FROZEN = ("pharmacy_id", "year", "month", "number", "issued_at", "units",
          "total_excl_vat_cents", "vat_cents", "total_incl_vat_cents")

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION billing_statement_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' OR NEW.status = 'draft'
       OR (OLD.status = 'paid' AND NEW.status <> 'paid')
       OR ROW(@NEW@) IS DISTINCT FROM ROW(@OLD@) THEN
        RAISE EXCEPTION 'statement % is issued: correct it with a credit note', OLD.number;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_statement_immutable BEFORE UPDATE OR DELETE ON billing_statement
    FOR EACH ROW EXECUTE FUNCTION billing_statement_guard();

CREATE OR REPLACE FUNCTION billing_statement_line_guard() RETURNS trigger AS $$
DECLARE
    parent bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN parent := NEW.statement_id; ELSE parent := OLD.statement_id; END IF;
    IF EXISTS (SELECT 1 FROM billing_statement WHERE id = parent AND status <> 'draft')
       OR (TG_OP = 'UPDATE' AND EXISTS (
           SELECT 1 FROM billing_statement WHERE id = NEW.statement_id AND status <> 'draft'))
    THEN
        RAISE EXCEPTION 'the lines of an issued statement never change';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_statement_line_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON billing_statementline
    FOR EACH ROW EXECUTE FUNCTION billing_statement_line_guard();

CREATE OR REPLACE FUNCTION billing_credit_note_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'credit notes never change (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_credit_note_immutable BEFORE UPDATE OR DELETE ON billing_creditnote
    FOR EACH ROW EXECUTE FUNCTION billing_credit_note_guard();
CREATE TRIGGER billing_credit_note_line_immutable
    BEFORE UPDATE OR DELETE ON billing_creditnoteline
    FOR EACH ROW EXECUTE FUNCTION billing_credit_note_guard();
""".replace("@NEW@", ", ".join(f"NEW.{column}" for column in FROZEN)).replace(
    "@OLD@", ", ".join(f"OLD.{column}" for column in FROZEN)
)
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS billing_statement_immutable ON billing_statement;
DROP TRIGGER IF EXISTS billing_statement_line_immutable ON billing_statementline;
DROP TRIGGER IF EXISTS billing_credit_note_immutable ON billing_creditnote;
DROP TRIGGER IF EXISTS billing_credit_note_line_immutable ON billing_creditnoteline;
DROP FUNCTION IF EXISTS billing_statement_guard();
DROP FUNCTION IF EXISTS billing_statement_line_guard();
DROP FUNCTION IF EXISTS billing_credit_note_guard();
"""
_CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in FROZEN)
_ISSUED_PARENT = "(SELECT status FROM billing_statement WHERE id = {row}.statement_id) <> 'draft'"
SQLITE_UP = [
    f"""CREATE TRIGGER billing_statement_no_update BEFORE UPDATE ON billing_statement
       WHEN OLD.status <> 'draft' AND (NEW.status = 'draft'
            OR (OLD.status = 'paid' AND NEW.status <> 'paid') OR {_CHANGED})
       BEGIN SELECT RAISE(ABORT, 'an issued statement never changes'); END;""",
    """CREATE TRIGGER billing_statement_no_delete BEFORE DELETE ON billing_statement
       WHEN OLD.status <> 'draft'
       BEGIN SELECT RAISE(ABORT, 'an issued statement is never deleted'); END;""",
    f"""CREATE TRIGGER billing_statement_line_no_insert BEFORE INSERT ON billing_statementline
       WHEN {_ISSUED_PARENT.format(row="NEW")}
       BEGIN SELECT RAISE(ABORT, 'the lines of an issued statement never change'); END;""",
    f"""CREATE TRIGGER billing_statement_line_no_update BEFORE UPDATE ON billing_statementline
       WHEN {_ISSUED_PARENT.format(row="OLD")} OR {_ISSUED_PARENT.format(row="NEW")}
       BEGIN SELECT RAISE(ABORT, 'the lines of an issued statement never change'); END;""",
    f"""CREATE TRIGGER billing_statement_line_no_delete BEFORE DELETE ON billing_statementline
       WHEN {_ISSUED_PARENT.format(row="OLD")}
       BEGIN SELECT RAISE(ABORT, 'the lines of an issued statement never change'); END;""",
    """CREATE TRIGGER billing_credit_note_no_update BEFORE UPDATE ON billing_creditnote
       BEGIN SELECT RAISE(ABORT, 'credit notes never change'); END;""",
    """CREATE TRIGGER billing_credit_note_no_delete BEFORE DELETE ON billing_creditnote
       BEGIN SELECT RAISE(ABORT, 'credit notes never change'); END;""",
    """CREATE TRIGGER billing_credit_note_line_no_update BEFORE UPDATE ON billing_creditnoteline
       BEGIN SELECT RAISE(ABORT, 'credit notes never change'); END;""",
    """CREATE TRIGGER billing_credit_note_line_no_delete BEFORE DELETE ON billing_creditnoteline
       BEGIN SELECT RAISE(ABORT, 'credit notes never change'); END;""",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "billing_statement_no_update",
        "billing_statement_no_delete",
        "billing_statement_line_no_insert",
        "billing_statement_line_no_update",
        "billing_statement_line_no_delete",
        "billing_credit_note_no_update",
        "billing_credit_note_no_delete",
        "billing_credit_note_line_no_update",
        "billing_credit_note_line_no_delete",
    )
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    else:
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    else:
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_contracts_usage_statements_credit_notes")]
    operations = [migrations.RunPython(install, uninstall)]
