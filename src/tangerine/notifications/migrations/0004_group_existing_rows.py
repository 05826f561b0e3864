"""Existing rows become groups: each gets its actor row and ``latest_at`` = ``created_at``;
follows point at the followee (the group's target); unread rows of a grouped kind about the same
target merge into the newest one (its actors are the union)."""

from collections import defaultdict

from django.db import migrations

GROUPED_KINDS = ("follow", "post_like", "comment_like", "reply_like", "product_saved")


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    NotificationActor = apps.get_model("notifications", "NotificationActor")
    User = apps.get_model("accounts", "User")
    uuid_of = dict(User.objects.values_list("id", "uuid"))
    for row in Notification.objects.filter(kind="follow").iterator():
        row.target_uuid = uuid_of[row.recipient_id]
        row.save(update_fields=["target_uuid"])
    groups = defaultdict(list)
    for row in Notification.objects.order_by("created_at", "id").iterator():
        row.latest_at = row.created_at
        row.save(update_fields=["latest_at"])
        if row.kind in GROUPED_KINDS and row.read_at is None:
            groups[(row.recipient_id, row.kind, row.target_type, row.target_uuid)].append(row)
        elif row.actor_id is not None:
            NotificationActor.objects.create(
                notification=row, actor_id=row.actor_id, created_at=row.created_at
            )
    for rows in groups.values():
        keep = rows[-1]
        seen = set()
        for row in reversed(rows):
            if row.actor_id is not None and row.actor_id not in seen:
                seen.add(row.actor_id)
                NotificationActor.objects.create(
                    notification=keep, actor_id=row.actor_id, created_at=row.created_at
                )
        Notification.objects.filter(pk__in=[row.pk for row in rows[:-1]]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_groups_and_preferences"),
        ("accounts", "__first__"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
