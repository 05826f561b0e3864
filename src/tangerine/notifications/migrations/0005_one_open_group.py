"""At most one open (unread) group per recipient, kind and target (after 0004 merged them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_group_existing_rows"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(condition=models.Q(("kind__in", ("follow", "post_like", "comment_like", "reply_like", "product_saved")), ("read_at__isnull", True)), fields=("recipient", "kind", "target_type", "target_uuid"), name="notification_one_open_group"),
        ),
    ]
