"""The pharmacies app adopts the API keys' table with every row in it (the api app only
drops the model from its state), then gives the table its own app's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

OLD_TABLE = "api_apikey"


def _move_content_type(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Keep the model's content type (and the permissions pointing at it) with the model."""
    content_type = apps.get_model("contenttypes", "ContentType")
    manager = content_type.objects.db_manager(schema_editor.connection.alias)
    if not manager.filter(app_label="pharmacies", model="apikey").exists():
        manager.filter(app_label="api", model="apikey").update(app_label="pharmacies")


def _return_content_type(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    manager = content_type.objects.db_manager(schema_editor.connection.alias)
    if not manager.filter(app_label="api", model="apikey").exists():
        manager.filter(app_label="pharmacies", model="apikey").update(app_label="api")


class Migration(migrations.Migration):
    dependencies = [
        ("pharmacies", "0001_pharmacies_and_memberships"),
        ("api", "0002_api_keys_belong_to_pharmacies"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiKey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="nom")),
                        ("prefix", models.CharField(max_length=16, unique=True)),
                        ("digest", models.BinaryField(max_length=32)),
                        ("scopes", models.JSONField(default=list)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "pharmacy",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="api_keys",
                                to="pharmacies.pharmacy",
                            ),
                        ),
                    ],
                    options={"verbose_name": "clé d'API", "db_table": OLD_TABLE},
                ),
            ],
            database_operations=[],
        ),
        # A rename: no row is copied, and the foreign keys' constraints follow the table.
        migrations.AlterModelTable(name="apikey", table=None),
        migrations.RunPython(_move_content_type, _return_content_type),
    ]
