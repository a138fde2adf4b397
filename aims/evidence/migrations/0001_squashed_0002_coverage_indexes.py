"""The app's migrations up to 0002_coverage_indexes squashed into one, for a fresh database: each model
created once with its final fields, indexes and constraints. A database that already applied
the migrations it replaces sees it as applied; the replaced files stay until every
installation has passed this point."""

import django.db.models.deletion
import django.db.models.manager
import uuid
from django.conf import settings
from django.db import migrations, models

from aims.core.schema_migrations import CreateModels


class Migration(CreateModels):

    replaces = [('evidence', '0001_initial'), ('evidence', '0002_coverage_indexes')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('orgs', '0002_reassessment_interval'),
    ]

    operations = [
        migrations.CreateModel(
            name='Blob',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('size', models.PositiveBigIntegerField(help_text='Size in bytes.')),
                ('name', models.CharField(help_text='Where the storage keeps it.', max_length=300)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('org', 'sha256'), name='blob_unique_hash_per_org')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('number', models.PositiveIntegerField(editable=False)),
                ('ref', models.CharField(editable=False, max_length=12, verbose_name='reference')),
                ('title', models.CharField(help_text='What it is, as an auditor would ask for it.', max_length=200)),
                ('description', models.TextField(blank=True, help_text='What it shows and how it was produced.')),
                ('kind', models.CharField(choices=[('file', 'File'), ('link', 'Link'), ('note', 'Note')], default='file', max_length=10)),
                ('file_name', models.CharField(blank=True, editable=False, help_text="The uploaded file's name, cleaned; used for download.", max_length=255)),
                ('content_type', models.CharField(blank=True, editable=False, max_length=100)),
                ('url', models.URLField(blank=True, help_text='For a link: where the evidence lives (ticket, dashboard, repository, shared drive).', max_length=2000, verbose_name='link')),
                ('note', models.TextField(blank=True, help_text='For a note: what was observed, by whom, and where.')),
                ('effective_from', models.DateField(blank=True, help_text='First day of the period the evidence is about (not the upload date), so it lands in the right audit period.', null=True, verbose_name='covers from')),
                ('effective_to', models.DateField(blank=True, help_text='Last day of the period it is about.', null=True, verbose_name='covers to')),
                ('valid_until', models.DateField(blank=True, help_text='When it goes stale and must be replaced (e.g. a yearly access review). Leave empty when it does not expire.', null=True)),
                ('source', models.CharField(blank=True, help_text='Where it came from: a system, report, team or person.', max_length=200)),
                ('blob', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='evidence.blob')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member who keeps it current.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'evidence',
                'verbose_name_plural': 'evidence',
                'ordering': ['-number'],
                'constraints': [models.UniqueConstraint(fields=('org', 'number'), name='evidence_unique_number')],
                'indexes': [models.Index(fields=['org', 'valid_until', 'id'], name='evidence_validity')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='EvidenceLink',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('subject_kind', models.CharField(blank=True, help_text='The kind of record this relates to.', max_length=40)),
                ('subject_id', models.UUIDField(blank=True, help_text='The record this relates to.', null=True)),
                ('evidence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='evidence.evidence')),
                ('linked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['org', 'subject_kind', 'subject_id', 'evidence'], name='evidence_link_subject')],
                'constraints': [models.UniqueConstraint(fields=('evidence', 'subject_kind', 'subject_id'), name='evidence_link_unique')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
