"""The app's migrations up to 0002_risk_source_tags squashed into one, for a fresh database: each model
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

    replaces = [('risks', '0001_initial'), ('risks', '0002_risk_source_tags')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('catalog', '0002_frameworks_and_crosswalks'),
        ('compliance', '0001_initial'),
        ('inventory', '0001_initial'),
        ('orgs', '0002_reassessment_interval'),
    ]

    operations = [
        migrations.CreateModel(
            name='RiskMethodology',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('number', models.PositiveIntegerField(help_text='1 for the first version, then 2, 3…')),
                ('likelihood_scale', models.JSONField(default=list, help_text='The likelihood levels, lowest first: value, label and criteria.')),
                ('impact_scale', models.JSONField(default=list, help_text='The impact levels, lowest first: value, label and criteria.')),
                ('bands', models.JSONField(default=list, help_text='Which scores (likelihood × impact) count as low, medium, high and critical.')),
                ('acceptance_threshold', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], default='medium', help_text='The highest level a risk may be left at without its owner signing off the residual risk.', max_length=10)),
                ('change_note', models.TextField(blank=True, help_text='What changed in this version and why.')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
            ],
            options={
                'verbose_name': 'risk methodology',
                'verbose_name_plural': 'risk methodology versions',
                'ordering': ['-number'],
                'constraints': [models.UniqueConstraint(fields=('org', 'number'), name='risk_methodology_unique_number_per_org')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Risk',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('number', models.PositiveIntegerField(editable=False)),
                ('ref', models.CharField(editable=False, max_length=12, verbose_name='reference')),
                ('title', models.CharField(help_text='The risk in one line: what could go wrong.', max_length=200)),
                ('description', models.TextField(blank=True, help_text='How it could happen and what would follow: cause, event, consequence.')),
                ('category', models.CharField(choices=[('bias', 'Bias and unfair discrimination'), ('data_quality', 'Data quality and representativeness'), ('drift', 'Model drift and degradation'), ('transparency', 'Transparency and explainability'), ('robustness', 'Robustness and reliability'), ('security', 'Security (prompt injection, poisoning, model theft, supply chain)'), ('privacy', 'Privacy and personal data'), ('safety', 'Safety and harm to people'), ('misuse', 'Misuse and unintended use'), ('accountability', 'Accountability and human oversight'), ('third_party', 'Third parties and suppliers'), ('legal', 'Legal and regulatory'), ('environmental', 'Environmental'), ('other', 'Other')], help_text='The kind of AI risk, for grouping and reporting.', max_length=20)),
                ('risk_source', models.TextField(blank=True, help_text='Where the risk comes from: data, model, people, supplier, use…')),
                ('inherent_likelihood', models.PositiveSmallIntegerField(blank=True, help_text='How likely the risk is before any treatment.', null=True)),
                ('inherent_impact', models.PositiveSmallIntegerField(blank=True, help_text='How bad it would be before any treatment.', null=True)),
                ('treatment_option', models.CharField(blank=True, choices=[('accept', 'Accept'), ('mitigate', 'Mitigate'), ('transfer', 'Transfer or share'), ('avoid', 'Avoid')], help_text='What you decided to do about the risk.', max_length=10)),
                ('treatment_rationale', models.TextField(blank=True, help_text='Why this treatment was chosen.')),
                ('residual_likelihood', models.PositiveSmallIntegerField(blank=True, help_text='How likely the risk is once the treatment is in place.', null=True)),
                ('residual_impact', models.PositiveSmallIntegerField(blank=True, help_text='How bad it would be once the treatment is in place.', null=True)),
                ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='residual risk accepted at')),
                ('next_review', models.DateField(blank=True, help_text='When the risk is next looked at again.', null=True)),
                ('status', models.CharField(choices=[('identified', 'Identified'), ('assessed', 'Assessed'), ('treating', 'Being treated'), ('accepted', 'Accepted'), ('closed', 'Closed')], default='identified', max_length=12)),
                ('enterprise_ref', models.CharField(blank=True, help_text='The matching entry in the organisation-wide risk register, if there is one.', max_length=100, verbose_name='enterprise risk register reference')),
                ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='residual risk accepted by')),
                ('ai_systems', models.ManyToManyField(blank=True, help_text='The AI systems this risk concerns.', related_name='risks', to='inventory.aisystem', verbose_name='AI systems')),
                ('controls', models.ManyToManyField(blank=True, help_text='The Annex A controls that treat the risk; each becomes applicable in the SoA.', related_name='risks', to='compliance.complianceitem', verbose_name='Annex A controls')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member accountable for the risk and its acceptance.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('methodology', models.ForeignKey(help_text='The methodology version the scores were given under.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='risks.riskmethodology')),
                ('source_tags', models.ManyToManyField(blank=True, help_text='Risk sources from a taxonomy in the catalog (the OWASP Top 10 for LLM applications: LLM01 prompt injection …), for filtering the register.', related_name='+', to='catalog.requirement', verbose_name='risk sources (taxonomy)')),
            ],
            options={
                'verbose_name': 'AI risk',
                'ordering': ['number'],
                'constraints': [models.UniqueConstraint(fields=('org', 'number'), name='risk_unique_number_per_org'), models.UniqueConstraint(fields=('org', 'ref'), name='risk_unique_ref_per_org')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='TreatmentAction',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('title', models.CharField(help_text='What will be done.', max_length=200)),
                ('due_date', models.DateField(blank=True, help_text='When it should be done by.', null=True)),
                ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('done', 'Done')], default='open', max_length=12)),
                ('notes', models.TextField(blank=True, help_text='Progress, evidence, or where to look.')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member who makes sure it gets done.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('risk', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='risks.risk')),
            ],
            options={
                'verbose_name': 'treatment action',
                'ordering': ['due_date', 'created_at'],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
