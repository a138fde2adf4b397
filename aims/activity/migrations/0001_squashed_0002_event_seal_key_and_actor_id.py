"""The app's migrations up to 0002_event_seal_key_and_actor_id squashed into one, for a fresh database: each model
created once with its final fields, indexes and constraints. A database that already applied
the migrations it replaces sees it as applied; the replaced files stay until every
installation has passed this point."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from aims.core.schema_migrations import CreateModels


class Migration(CreateModels):

    replaces = [('activity', '0001_initial'), ('activity', '0002_event_seal_key_and_actor_id')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('seq', models.PositiveBigIntegerField()),
                ('at', models.DateTimeField()),
                ('actor_label', models.CharField(max_length=254)),
                ('action', models.CharField(choices=[('create', 'Created'), ('update', 'Updated'), ('delete', 'Deleted')], max_length=20)),
                ('object_type', models.CharField(max_length=80)),
                ('object_id', models.CharField(max_length=64)),
                ('object_repr', models.CharField(max_length=300)),
                ('changes', models.JSONField(default=dict)),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('actor_ref', models.CharField(blank=True, default='', max_length=64)),
                ('key_id', models.CharField(blank=True, default='', max_length=32)),
            ],
            options={
                'ordering': ['-seq'],
                'indexes': [models.Index(fields=['org', 'object_type', 'object_id'], name='activity_ev_org_id_01bff9_idx'), models.Index(fields=['org', 'at'], name='activity_ev_org_id_0baa6f_idx')],
                'constraints': [models.UniqueConstraint(fields=('org', 'seq'), name='event_unique_seq_per_org')],
            },
        ),
    ]
