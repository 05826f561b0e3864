# The home feed's per-author read: an author's newest visible posts off one index (issue 17).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0003_tag_order_mentions_edited"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(("hidden_at__isnull", True), ("status", "published")),
                fields=["author", "-created_at", "-id"],
                name="post_author_published",
            ),
        ),
    ]
