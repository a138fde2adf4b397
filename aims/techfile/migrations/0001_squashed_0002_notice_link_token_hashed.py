"""The transparency notice links' two migrations squashed into one, for a fresh database.

The data step of 0002 (hashing the tokens of existing links) is left out on purpose: this
squash is only applied to a database that has neither 0001 nor 0002, so the table it creates
is empty and there is no token to hash. A database that stopped after 0001 still runs 0002
itself, from the replaced file, which is why the replaced files stay."""

import django.db.models.deletion
import django.db.models.manager
import uuid
from django.conf import settings
from django.db import migrations, models

from aims.core.schema_migrations import CreateModels


class Migration(CreateModels):

    replaces = [('techfile', '0001_notice_links'), ('techfile', '0002_notice_link_token_hashed')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('inventory', '0003_deploymentapproval_lifecyclerecord_resource'),
        ('orgs', '0003_membership_dates'),
    ]

    operations = [
        migrations.CreateModel(
            name='NoticeLink',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('contact', models.TextField(help_text='Shown on the notice: where people ask questions about the system, ask for a human to look at a decision, or complain (an address, a form, a phone line).', verbose_name='How people reach you')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('ai_system', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.aisystem', verbose_name='AI system')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('token_hint', models.CharField(blank=True, editable=False, help_text="The address's first characters, to recognise it.", max_length=8)),
            ],
            options={
                'verbose_name': 'transparency notice link',
                'ordering': ['-created_at'],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
