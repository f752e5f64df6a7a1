"""API keys are the pharmacies' (credentials of a tenant): only the model state leaves the
api app here; the table and its rows stay, adopted by `pharmacies.0002_adopt_api_keys`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_keys_idempotency_rate_counters"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiKey")],
            database_operations=[],
        ),
    ]
