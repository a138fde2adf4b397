"""The app's migrations up to 0002_monitor_monitorresult_monitor_monitor_unique_number_and_more squashed into one, for a fresh database: each model
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

    replaces = [('objectives', '0001_initial'), ('objectives', '0002_monitor_monitorresult_monitor_monitor_unique_number_and_more')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('inventory', '0001_initial'),
        ('inventory', '0003_deploymentapproval_lifecyclerecord_resource'),
        ('orgs', '0002_reassessment_interval'),
    ]

    operations = [
        migrations.CreateModel(
            name='Objective',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('title', models.CharField(help_text='The objective in one line, as people will quote it, e.g. “Keep approval-rate gaps between groups small”.', max_length=200)),
                ('description', models.TextField(blank=True, help_text='Why it matters and what achieving it changes for the people affected.')),
                ('policy_topic', models.CharField(choices=[('fairness', 'Fairness and non-discrimination'), ('transparency', 'Transparency and explainability'), ('human_oversight', 'Human oversight'), ('robustness', 'Robustness and reliability'), ('safety', 'Safety'), ('security', 'Security'), ('privacy', 'Privacy and data protection'), ('accountability', 'Accountability'), ('competence', 'Competence and AI literacy'), ('sustainability', 'Environmental sustainability'), ('other', 'Other')], help_text='The commitment of your AI policy this objective puts into practice.', max_length=20, verbose_name='AI policy topic')),
                ('policy_reference', models.CharField(blank=True, help_text='Where the policy says it, e.g. “AI policy §4.2”. Required for Other: name the commitment.', max_length=200, verbose_name='Policy reference')),
                ('metric', models.TextField(help_text='What is measured and how: data source, calculation, sample and who produces the figure.')),
                ('target', models.DecimalField(decimal_places=4, help_text='The value that counts as met.', max_digits=15)),
                ('unit', models.CharField(help_text='What the numbers are in, e.g. %, ratio, score out of 5, hours.', max_length=40)),
                ('direction', models.CharField(choices=[('higher', 'Higher is better'), ('lower', 'Lower is better')], default='higher', help_text='Whether the objective is met at or above the target (higher) or at or below it (lower).', max_length=10)),
                ('baseline', models.DecimalField(blank=True, decimal_places=4, help_text='Where you started, if known: progress is counted from here toward the target.', max_digits=15, null=True)),
                ('frequency', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly'), ('half_yearly', 'Half-yearly'), ('yearly', 'Yearly')], default='quarterly', help_text='How often a new measurement is expected. One is overdue two weeks after a period has passed.', max_length=20, verbose_name='Measurement frequency')),
                ('due_date', models.DateField(help_text='When the target should be reached.')),
                ('status', models.CharField(choices=[('active', 'Active'), ('achieved', 'Achieved'), ('abandoned', 'Abandoned')], default='active', max_length=20)),
                ('ai_systems', models.ManyToManyField(blank=True, help_text='The AI systems the objective is about, if any.', related_name='+', to='inventory.aisystem', verbose_name='AI systems')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member accountable for reaching the objective.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'AI objective',
                'ordering': ['title'],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Measurement',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('measured_on', models.DateField(help_text='The date the value describes; for a period, its last day.', verbose_name='Measured on')),
                ('value', models.DecimalField(decimal_places=4, help_text="The measured value, in the objective's unit.", max_digits=15)),
                ('note', models.TextField(blank=True, help_text='Sample size, data source, or anything that explains the value.')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('objective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measurements', to='objectives.objective')),
            ],
            options={
                'ordering': ['measured_on', 'created_at'],
                'constraints': [models.UniqueConstraint(fields=('objective', 'measured_on'), name='measurement_one_per_objective_and_date')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Monitor',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('number', models.PositiveIntegerField(editable=False)),
                ('ref', models.CharField(editable=False, max_length=12, verbose_name='reference')),
                ('name', models.CharField(help_text='What is watched, e.g. “Scorecard approval-rate gap between age groups”.', max_length=200)),
                ('indicator', models.CharField(choices=[('accuracy', 'Accuracy or error rate'), ('bias', 'Bias or fairness indicator'), ('drift', 'Data or model drift'), ('complaints', 'Complaints'), ('human_override', 'Human override rate'), ('availability', 'Availability or latency'), ('incidents', 'Incidents'), ('other', 'Other')], help_text='The kind of indicator.', max_length=20)),
                ('method', models.TextField(help_text='How it is measured: data source, calculation, tool, sample, so two people would get the same figure.')),
                ('frequency', models.CharField(choices=[('daily', 'Daily'), ('weekly', 'Weekly'), ('monthly', 'Monthly'), ('quarterly', 'Quarterly'), ('half_yearly', 'Half-yearly'), ('yearly', 'Yearly')], default='monthly', help_text='How often a result is expected.', max_length=20)),
                ('unit', models.CharField(help_text='What the numbers are in, e.g. %, count, PSI, ms.', max_length=40)),
                ('lower_threshold', models.DecimalField(blank=True, decimal_places=4, help_text='A result below this is a breach. Leave empty when only high values matter.', max_digits=15, null=True)),
                ('upper_threshold', models.DecimalField(blank=True, decimal_places=4, help_text='A result above this is a breach. Leave empty when only low values matter.', max_digits=15, null=True)),
                ('active', models.BooleanField(default=True, help_text='Untick when it is no longer monitored; its results stay on record.')),
                ('ai_system', models.ForeignKey(blank=True, help_text='The AI system it is about; empty for the AIMS as a whole (e.g. complaints across all systems).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inventory.aisystem', verbose_name='AI system')),
                ('analyst', models.ForeignKey(blank=True, help_text='The member who analyses and evaluates the results and decides what a breach calls for.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='analysed by')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member who produces and records the results.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='measured by')),
            ],
            options={
                'ordering': ['number'],
                'constraints': [models.UniqueConstraint(fields=('org', 'number'), name='monitor_unique_number')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='MonitorResult',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('measured_on', models.DateField(help_text='The date the result describes; for a period, its last day.')),
                ('value', models.DecimalField(decimal_places=4, help_text="The result, in the monitor's unit.", max_digits=15)),
                ('note', models.TextField(blank=True, help_text='Sample, data source, anything unusual.')),
                ('analysis', models.TextField(blank=True, help_text='What the result means and what, if anything, it calls for.')),
                ('breached', models.BooleanField(default=False, editable=False, help_text='Outside the thresholds when recorded.')),
                ('thresholds', models.CharField(blank=True, editable=False, help_text='The thresholds it was judged against.', max_length=120)),
                ('monitor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='objectives.monitor')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-measured_on', '-created_at'],
                'constraints': [models.UniqueConstraint(fields=('monitor', 'measured_on'), name='monitor_result_one_per_date')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
