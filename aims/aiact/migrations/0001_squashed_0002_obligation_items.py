"""The app's migrations up to 0002_obligation_items squashed into one, for a fresh database: each model
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

    replaces = [('aiact', '0001_classification_versions'), ('aiact', '0002_obligation_items')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('catalog', '0003_framework_version_length'),
        ('inventory', '0004_eu_class_override_and_ai_act_roles'),
        ('orgs', '0003_membership_dates'),
        ('orgs', '0004_organization_require_mfa'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClassificationVersion',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('number', models.PositiveIntegerField(help_text='1 for the first classification, then up.')),
                ('answers', models.JSONField(default=dict, help_text='{question id: answer}.')),
                ('result_class', models.CharField(choices=[('out_of_scope', 'Outside the AI Act'), ('prohibited', 'Prohibited practice'), ('high', 'High risk'), ('limited', 'Limited risk (transparency)'), ('minimal', 'Minimal risk')], max_length=20, verbose_name='class')),
                ('trace', models.JSONField(default=list, help_text='[{step, question_id, question, answer, article, outcome}]: the legal path the classifier walked.')),
                ('facts', models.JSONField(default=dict, help_text='What the obligations are derived from.')),
                ('ai_system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inventory.aisystem', verbose_name='AI system')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('saved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'EU AI Act classification',
                'ordering': ['-number'],
                'constraints': [models.UniqueConstraint(fields=('ai_system', 'number'), name='classification_unique_number')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='ObligationItem',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('ref', models.CharField(help_text='The article or annex that creates the obligation.', max_length=30, verbose_name='article')),
                ('role', models.CharField(choices=[('provider', 'Provider'), ('deployer', 'Deployer'), ('importer', 'Importer'), ('distributor', 'Distributor'), ('product_manufacturer', 'Product manufacturer'), ('authorised_representative', 'Authorised representative')], help_text="The organisation's operator role toward the system the obligation falls on.", max_length=30)),
                ('rule', models.CharField(help_text='The condition of the classification that brings it (see data/obligations.json).', max_length=40)),
                ('duty', models.TextField(help_text='What to do, in short.')),
                ('applies_from', models.DateField(help_text='The date it applies from on the amended timeline.')),
                ('timeline_key', models.CharField(max_length=40)),
                ('applies', models.BooleanField(default=True, help_text="Whether the system's latest classification still brings it.")),
                ('ended_on', models.DateField(blank=True, help_text='When a new classification stopped bringing it (kept as history).', null=True, verbose_name='no longer applies since')),
                ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('met', 'Met'), ('not_applicable', 'Not applicable')], default='not_started', help_text='How far the organisation is in meeting it. “Met” when the work is done and evidenced; “Not applicable” only with the reason it does not bind you.', max_length=20)),
                ('status_reason', models.TextField(blank=True, help_text='For “Not applicable”: why the obligation does not bind the organisation for this system (e.g. an exemption, a role you do not hold). An auditor or a regulator must be able to check it.', verbose_name='why it does not apply')),
                ('notes', models.TextField(blank=True, help_text='How the organisation meets it, and where to look.')),
                ('last_reviewed', models.DateField(blank=True, help_text='When someone last checked how it stands.', null=True)),
                ('ai_system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inventory.aisystem', verbose_name='AI system')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member accountable for meeting it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requirement', models.ForeignKey(blank=True, help_text='The article or annex in the EU AI Act framework.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.requirement')),
            ],
            options={
                'verbose_name': 'EU AI Act obligation',
                'ordering': ['applies_from', 'ref'],
                'indexes': [models.Index(fields=['org', 'applies', 'applies_from'], name='obligation_item_calendar')],
                'constraints': [models.UniqueConstraint(fields=('ai_system', 'ref', 'role', 'rule'), name='obligation_item_unique_per_system')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
