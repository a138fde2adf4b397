"""The app's migrations up to 0004_eu_class_override_and_ai_act_roles squashed into one, for a fresh database: each model
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

    replaces = [('inventory', '0001_initial'), ('inventory', '0002_systemchange'), ('inventory', '0003_deploymentapproval_lifecyclerecord_resource'), ('inventory', '0004_eu_class_override_and_ai_act_roles')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('orgs', '0001_initial'),
        ('orgs', '0002_reassessment_interval'),
    ]

    operations = [
        migrations.CreateModel(
            name='AISystem',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('name', models.CharField(help_text='The name people use for the system.', max_length=200)),
                ('intended_purpose', models.TextField(help_text='What the system is for and the decisions or outputs it produces.')),
                ('description', models.TextField(blank=True, help_text='How it works, in a few sentences.')),
                ('business_unit', models.CharField(blank=True, help_text='The part of the organisation that runs it.', max_length=200)),
                ('lifecycle_stage', models.CharField(choices=[('concept', 'Concept'), ('design', 'Design'), ('development', 'Development'), ('verification', 'Verification & validation'), ('deployed', 'Deployed'), ('retired', 'Retired')], default='concept', max_length=20)),
                ('roles', models.JSONField(default=list, help_text="Your organisation's roles toward the system (one or more).")),
                ('in_scope', models.BooleanField(default=True, help_text='Whether the AIMS covers this system.')),
                ('scope_justification', models.TextField(blank=True, help_text='Required when the system is outside the AIMS scope: say why.')),
                ('deployment_context', models.TextField(blank=True, help_text='Where and how it runs: channel, geography, users, integration.')),
                ('affected_parties', models.TextField(blank=True, help_text='Who its outputs affect: customers, applicants, staff, the public…')),
                ('data_categories', models.TextField(blank=True, help_text='Kinds of data it is trained on or processes.')),
                ('processes_personal_data', models.BooleanField(default=False)),
                ('human_oversight', models.TextField(blank=True, help_text='How people monitor, override or stop its outputs.')),
                ('third_party_components', models.TextField(blank=True, help_text='Models, APIs, datasets or services supplied by others.')),
                ('eu_risk_class', models.CharField(choices=[('unassessed', 'Not yet assessed'), ('prohibited', 'Prohibited practice'), ('high', 'High risk'), ('limited', 'Limited risk (transparency)'), ('minimal', 'Minimal risk'), ('out_of_scope', 'Outside the AI Act')], default='unassessed', max_length=20, verbose_name='EU AI Act risk class')),
                ('status', models.CharField(choices=[('active', 'Active'), ('suspended', 'Suspended'), ('retired', 'Retired')], default='active', max_length=20)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member accountable for the system.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('eu_class_override_reason', models.TextField(blank=True, help_text="The EU AI Act class comes from the classification questionnaire. Setting it by hand overrides that result: say why (for example, a lawyer's opinion). The class is then shown as overridden until the next classification.", verbose_name='Reason for setting the EU class by hand')),
            ],
            options={
                'verbose_name': 'AI system',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(fields=('org', 'name'), name='aisystem_unique_name_per_org')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='SystemChange',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('description', models.TextField(help_text='The change in a sentence or two: a retrained or replaced model, new training data, a new purpose or user group, a new market, a changed level of human oversight, a new supplier…', verbose_name='What changed')),
                ('significant', models.BooleanField(default=False, help_text="Tick when the change could alter who is affected or how: it marks the system's current impact assessment as needing re-assessment.", verbose_name='Significant change')),
                ('changed_on', models.DateField(help_text='When the change took effect.', verbose_name='Date of the change')),
                ('ai_system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='inventory.aisystem', verbose_name='AI system')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'AI system change',
                'ordering': ['-changed_on', '-created_at'],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='DeploymentApproval',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('approved_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('note', models.TextField(blank=True, help_text='What you checked and any conditions on the deployment: a limited rollout, monitoring to put in place, a date to look again.', verbose_name="Approver's note")),
                ('system_version', models.PositiveIntegerField(help_text='The version of the AI system record the approver read.')),
                ('gate', models.JSONField(blank=True, default=list, help_text='The state of the other deployment checks at the moment of approval.', verbose_name='deployment checks when approved')),
                ('ai_system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deployment_approvals', to='inventory.aisystem', verbose_name='AI system')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
            ],
            options={
                'verbose_name': 'deployment approval',
                'ordering': ['-approved_at', '-created_at'],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='LifecycleRecord',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('from_stage', models.CharField(blank=True, choices=[('concept', 'Concept'), ('design', 'Design'), ('development', 'Development'), ('verification', 'Verification & validation'), ('deployed', 'Deployed'), ('retired', 'Retired')], max_length=20, verbose_name='from stage')),
                ('to_stage', models.CharField(choices=[('concept', 'Concept'), ('design', 'Design'), ('development', 'Development'), ('verification', 'Verification & validation'), ('deployed', 'Deployed'), ('retired', 'Retired')], max_length=20, verbose_name='to stage')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('note', models.TextField(blank=True, help_text='Why the system moves now: the release, the decision or the meeting behind it.')),
                ('gate', models.JSONField(blank=True, default=list, help_text='The deployment checks and their results when the move was made (moves to deployed only).', verbose_name='checks at the time')),
                ('ai_system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lifecycle_records', to='inventory.aisystem', verbose_name='AI system')),
                ('approval', models.ForeignKey(blank=True, help_text='The deployment approval the move relied on.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inventory.deploymentapproval')),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
            ],
            options={
                'verbose_name': 'lifecycle record',
                'ordering': ['-changed_at', '-created_at'],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Resource',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('name', models.CharField(help_text='The name people use for the resource.', max_length=200)),
                ('kind', models.CharField(choices=[('data', 'Data'), ('tooling', 'Tooling'), ('computing', 'System and computing'), ('human', 'Human (people and skills)'), ('other', 'Other')], help_text='Data, tooling, system and computing, or human resources.', max_length=20)),
                ('description', models.TextField(blank=True, help_text='What it is and what the AI systems use it for.')),
                ('location', models.CharField(blank=True, help_text='Where it lives or comes from: a data warehouse table, a cloud region, a vendor, a team.', max_length=300, verbose_name='Location or source')),
                ('data_categories', models.TextField(blank=True, help_text='Data only: the kinds of data it holds (application data, transactions, images…), including any special categories of personal data.', verbose_name='Data categories')),
                ('data_provenance', models.TextField(blank=True, help_text='Data only, and required for it: where the data comes from, how it was collected or bought, and under which terms.', verbose_name='Provenance')),
                ('quality_notes', models.TextField(blank=True, help_text='Data only: known gaps, biases, labelling quality, freshness, and how quality is checked.', verbose_name='Quality notes')),
                ('retention', models.CharField(blank=True, help_text='Data only: how long it is kept and what happens to it afterwards.', max_length=300)),
                ('contains_personal_data', models.BooleanField(default=False, verbose_name='Contains personal data')),
                ('ai_systems', models.ManyToManyField(blank=True, help_text='The AI systems that rely on it.', related_name='resources', to='inventory.aisystem', verbose_name='AI systems')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member accountable for the resource.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'resource',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(fields=('org', 'name'), name='resource_unique_name_per_org')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
