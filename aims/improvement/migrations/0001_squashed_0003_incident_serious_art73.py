"""The app's migrations up to 0003_incident_serious_art73 squashed into one, for a fresh database: each model
created once with its final fields, indexes and constraints. A database that already applied
the migrations it replaces sees it as applied; the replaced files stay until every
installation has passed this point."""

import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models

from aims.core.schema_migrations import CreateModels


class Migration(CreateModels):

    replaces = [('improvement', '0001_initial'), ('improvement', '0002_alter_improvement_source_alter_nonconformity_source'), ('improvement', '0003_incident_serious_art73')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('catalog', '0001_initial'),
        ('inventory', '0003_deploymentapproval_lifecyclerecord_resource'),
        ('orgs', '0002_reassessment_interval'),
    ]

    operations = [
        migrations.CreateModel(
            name='Nonconformity',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('subject_kind', models.CharField(blank=True, help_text='The kind of record this relates to.', max_length=40)),
                ('subject_id', models.UUIDField(blank=True, help_text='The record this relates to.', null=True)),
                ('number', models.PositiveIntegerField(editable=False)),
                ('ref', models.CharField(editable=False, max_length=12, verbose_name='reference')),
                ('title', models.CharField(help_text='The nonconformity in a few words.', max_length=200)),
                ('source', models.CharField(choices=[('audit_finding', 'Audit finding'), ('incident', 'Incident'), ('monitoring', 'Monitoring result'), ('complaint', 'Complaint'), ('management_review', 'Management review'), ('external_audit', 'Certification body audit'), ('other', 'Other')], help_text='Where it was found.', max_length=20)),
                ('description', models.TextField(help_text='What is wrong, where it was seen and what shows it (the facts, not yet the causes).')),
                ('severity', models.CharField(choices=[('major', 'Major'), ('minor', 'Minor')], default='minor', help_text='Major when a requirement is not met at all or the AIMS cannot achieve its intended results; minor for an isolated lapse.', max_length=10)),
                ('raised_on', models.DateField(default=django.utils.timezone.localdate, help_text='When it was raised; ageing counts from this day.')),
                ('correction', models.TextField(blank=True, help_text='What was done straight away to fix the instance found (not its causes).', verbose_name='correction taken')),
                ('corrected_on', models.DateField(blank=True, null=True, verbose_name='corrected on')),
                ('rca_method', models.CharField(blank=True, choices=[('five_whys', 'Five whys'), ('free_text', 'Free text')], max_length=10, verbose_name='root-cause method')),
                ('whys', models.JSONField(blank=True, default=list, help_text='Up to five answers, each asking why the one before happened.', verbose_name='five whys')),
                ('analysis', models.TextField(blank=True, help_text='The root-cause analysis in your own words.', verbose_name='analysis')),
                ('root_cause', models.TextField(blank=True, help_text='The cause that, removed, stops it happening again. Needed to close.', verbose_name='root cause')),
                ('verified_on', models.DateField(blank=True, editable=False, null=True)),
                ('verification_result', models.CharField(blank=True, choices=[('effective', 'Effective'), ('not_effective', 'Not effective')], editable=False, max_length=15)),
                ('verification_notes', models.TextField(blank=True, editable=False)),
                ('verification_recorded_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('closed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('closed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member who sees it through to closure.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('raised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requirement', models.ForeignKey(blank=True, help_text='The clause or Annex A control that is not met, when one is.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.requirement', verbose_name='requirement affected')),
                ('verified_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'nonconformity',
                'verbose_name_plural': 'nonconformities',
                'ordering': ['-number'],
                'indexes': [models.Index(fields=['org', 'subject_kind', 'subject_id'], name='improvement_org_id_4925cf_idx')],
                'constraints': [models.UniqueConstraint(fields=('org', 'number'), name='nonconformity_unique_number')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Incident',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('subject_kind', models.CharField(blank=True, help_text='The kind of record this relates to.', max_length=40)),
                ('subject_id', models.UUIDField(blank=True, help_text='The record this relates to.', null=True)),
                ('number', models.PositiveIntegerField(editable=False)),
                ('ref', models.CharField(editable=False, max_length=12, verbose_name='reference')),
                ('title', models.CharField(help_text='What happened, in a few words.', max_length=200)),
                ('incident_type', models.CharField(choices=[('bias', 'Bias or unfair outcome'), ('drift', 'Drift or degraded performance'), ('security', 'Security'), ('safety', 'Safety'), ('privacy', 'Privacy'), ('misuse', 'Misuse'), ('availability', 'Availability'), ('other', 'Other')], max_length=20, verbose_name='type')),
                ('occurred_at', models.DateTimeField(help_text='When it happened (or began), as far as known.', verbose_name='occurred at')),
                ('detected_at', models.DateTimeField(help_text='When someone noticed it; not before it occurred.', verbose_name='detected at')),
                ('severity', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], default='medium', max_length=10)),
                ('description', models.TextField(help_text='What happened, who or what was affected and how it came to light.')),
                ('containment', models.TextField(blank=True, help_text='What was done to stop or limit the harm (switching a model off, a manual fallback, a rollback…). Needed once it is contained.')),
                ('status', models.CharField(choices=[('open', 'Open'), ('contained', 'Contained'), ('resolved', 'Resolved'), ('closed', 'Closed')], default='open', max_length=10)),
                ('communication_needed', models.BooleanField(default=False, help_text='Tick when the people affected (customers, applicants, staff) should be informed.', verbose_name='affected parties must be told')),
                ('communicated_at', models.DateTimeField(blank=True, null=True, verbose_name='affected parties told at')),
                ('communication_method', models.CharField(blank=True, help_text='E-mail, letter, call, notice in the app…', max_length=200, verbose_name='told how')),
                ('communication_note', models.TextField(blank=True, verbose_name='what they were told')),
                ('reporting_needed', models.BooleanField(default=False, help_text='Tick when a regulator, a customer under contract or another body must be told.', verbose_name='external reporting needed')),
                ('report_to', models.CharField(blank=True, help_text='Who must be told, e.g. the market surveillance authority.', max_length=200, verbose_name='report to')),
                ('report_deadline', models.DateTimeField(blank=True, help_text='By when, as the law or contract requires (you set it).', null=True, verbose_name='reporting deadline')),
                ('reported_at', models.DateTimeField(blank=True, null=True, verbose_name='reported at')),
                ('report_reference', models.CharField(blank=True, help_text="The receiver's case or ticket number.", max_length=200, verbose_name='report reference')),
                ('ai_systems', models.ManyToManyField(blank=True, help_text='The AI systems involved or affected.', related_name='incidents', to='inventory.aisystem', verbose_name='AI systems')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member who handles the incident.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('nonconformity', models.ForeignKey(blank=True, help_text='The nonconformity raised to deal with its causes.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='improvement.nonconformity')),
                ('aware_at', models.DateTimeField(blank=True, help_text='When your organisation knew, or could reasonably suspect, that the AI system was involved: the reporting clock starts here.', null=True, verbose_name='aware since')),
                ('serious_kind', models.CharField(blank=True, choices=[('widespread', 'Widespread infringement or serious, irreversible disruption of critical infrastructure'), ('death', 'Death of a person'), ('other', 'Other serious incident (serious harm to health, to property or the environment, or a breach of fundamental rights obligations)')], help_text='Only for an incident on a high-risk AI system that led, or may have led, to death, serious harm to health, serious damage to property or the environment, a serious disruption of critical infrastructure or a breach of fundamental rights obligations. The kind sets the reporting period: 2, 10 or 15 days. Leave empty when it is not serious in that sense.', max_length=20, verbose_name='serious incident (EU AI Act)')),
            ],
            options={
                'ordering': ['-number'],
                'indexes': [models.Index(fields=['org', 'subject_kind', 'subject_id'], name='improvement_org_id_8a7e43_idx')],
                'constraints': [models.UniqueConstraint(fields=('org', 'number'), name='incident_unique_number')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Improvement',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('subject_kind', models.CharField(blank=True, help_text='The kind of record this relates to.', max_length=40)),
                ('subject_id', models.UUIDField(blank=True, help_text='The record this relates to.', null=True)),
                ('number', models.PositiveIntegerField(editable=False)),
                ('ref', models.CharField(editable=False, max_length=12, verbose_name='reference')),
                ('title', models.CharField(help_text='The idea in a few words.', max_length=200)),
                ('description', models.TextField(blank=True, help_text='What could be done, and where.')),
                ('source', models.CharField(choices=[('audit', 'Audit'), ('management_review', 'Management review'), ('monitoring', 'Monitoring'), ('nonconformity', 'Nonconformity'), ('external_audit', 'Certification body audit'), ('suggestion', 'Suggestion'), ('other', 'Other')], default='suggestion', help_text='Where the idea came from.', max_length=20)),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('accepted', 'Accepted'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('rejected', 'Rejected')], default='proposed', max_length=12)),
                ('benefit', models.TextField(blank=True, help_text='What it would improve, and for whom.')),
                ('target_date', models.DateField(blank=True, help_text='When it should be in place.', null=True)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member who takes it forward.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'improvement opportunity',
                'verbose_name_plural': 'improvement opportunities',
                'ordering': ['-number'],
                'indexes': [models.Index(fields=['org', 'subject_kind', 'subject_id'], name='improvement_org_id_47d352_idx')],
                'constraints': [models.UniqueConstraint(fields=('org', 'number'), name='improvement_unique_number')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
