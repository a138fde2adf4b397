"""Public notice links keep only the SHA-256 of their token (as API tokens do): existing links
are hashed in place, so their addresses keep working, and the plain token column goes."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    NoticeLink = apps.get_model("techfile", "NoticeLink")
    for link in NoticeLink.all_orgs.all().only("pk", "token"):
        NoticeLink.all_orgs.filter(pk=link.pk).update(
            token_hash=hashlib.sha256(link.token.encode()).hexdigest(), token_hint=link.token[:6])


class Migration(migrations.Migration):

    dependencies = [
        ("techfile", "0001_notice_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="noticelink", name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="noticelink", name="token_hint",
            field=models.CharField(blank=True, editable=False, max_length=8,
                                   help_text="The address's first characters, to recognise it."),
        ),
        # Irreversible: a hash does not give the token back.
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="noticelink", name="token"),
        migrations.AlterField(
            model_name="noticelink", name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
