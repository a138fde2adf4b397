"""The app's migrations up to 0003_assessment_fria squashed into one, for a fresh database: each model
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

    replaces = [('impact', '0001_initial'), ('impact', '0002_approval_safeguards'), ('impact', '0003_assessment_fria')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('inventory', '0002_systemchange'),
        ('orgs', '0002_reassessment_interval'),
        ('risks', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ImpactAssessment',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('number', models.PositiveIntegerField(help_text="1 for the system's first assessment, then one more for each new one.", verbose_name='assessment version')),
                ('trigger', models.CharField(choices=[('initial', 'Initial assessment'), ('interval', 'Planned interval'), ('significant_change', 'Significant change'), ('other', 'Other')], help_text='Why this assessment is being done now.', max_length=20)),
                ('trigger_note', models.TextField(blank=True, help_text='Optional: the change, incident, complaint or request behind it.', verbose_name='what prompted it')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('approved', 'Approved'), ('needs_reassessment', 'Needs re-assessment'), ('superseded', 'Superseded')], default='draft', max_length=20)),
                ('intended_purpose', models.TextField(blank=True, help_text='What the system is for, what it produces and which decisions rely on it.', verbose_name='intended purpose')),
                ('context_of_use', models.TextField(blank=True, help_text='Where, by whom and under what conditions it is used, including how people oversee it.', verbose_name='context of use')),
                ('foreseeable_misuse', models.TextField(blank=True, help_text='Ways people could plausibly use it beyond or against its purpose.', verbose_name='reasonably foreseeable misuse')),
                ('affected_individuals', models.TextField(blank=True, help_text='The people its outputs reach directly, and how.', verbose_name='affected individuals')),
                ('affected_groups', models.TextField(blank=True, help_text='Groups that could be affected differently from others.', verbose_name='affected groups')),
                ('societal_effects', models.TextField(blank=True, help_text='Wider effects beyond the people it touches directly.', verbose_name='effects on society')),
                ('conclusion', models.TextField(blank=True, help_text='The overall judgement: is the remaining impact acceptable, and under which conditions?')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted for review')),
                ('review_comment', models.TextField(blank=True, help_text="The reviewer's note with the last decision: what to fix, or conditions of the approval.", verbose_name="reviewer's comment")),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('approved_on', models.DateField(blank=True, null=True)),
                ('next_due', models.DateField(blank=True, help_text="The approval date plus the organisation's re-assessment interval.", null=True, verbose_name='re-assessment due')),
                ('reassessment_reason', models.TextField(blank=True, help_text='Set when a significant change to the system is recorded.', verbose_name='why re-assessment is needed')),
                ('ai_system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='impact_assessments', to='inventory.aisystem', verbose_name='AI system')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('flagged_change', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='inventory.systemchange', verbose_name='significant change')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('contributors', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='edited by')),
                ('pending_change_note', models.TextField(blank=True, help_text='Significant changes to the system recorded while this version was a draft or in review: the approver must confirm the assessment takes them into account.', verbose_name='changes recorded while open')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ('fria_measures', models.TextField(blank=True, help_text='The measures you will take if harm occurs: internal governance, who decides, how people can complain and get redress.', verbose_name='what happens if the risks materialise')),
                ('fria_notified_on', models.DateField(blank=True, help_text='When the market surveillance authority was told the results (leave empty until done).', null=True, verbose_name='authority notified on')),
                ('fria_period', models.TextField(blank=True, help_text='From when and for how long the system will be used, and how often (e.g. every application, a daily batch, a seasonal campaign).', verbose_name='period and frequency of use')),
                ('fria_process', models.TextField(blank=True, help_text='The business process in which your organisation uses the system, in line with its intended purpose: who uses it, at which step, for which decisions.', verbose_name='your process that uses the system')),
                ('fria_required', models.BooleanField(default=False, help_text='Tick when your organisation deploys this high-risk system as a public body, a private body providing public services, or to assess creditworthiness or price life and health insurance: the EU AI Act then asks for a fundamental rights impact assessment before first use.', verbose_name='fundamental rights impact assessment needed')),
            ],
            options={
                'verbose_name': 'impact assessment',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('ai_system', 'number'), name='impact_assessment_unique_number_per_system')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Impact',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('area', models.CharField(choices=[('fairness', 'Fairness and non-discrimination'), ('privacy', 'Privacy'), ('safety', 'Safety and health'), ('fundamental_rights', 'Fundamental rights'), ('autonomy', 'Autonomy and human oversight'), ('transparency', 'Transparency'), ('employment', 'Employment'), ('economic', 'Economic'), ('environment', 'Environment'), ('accessibility', 'Accessibility'), ('other', 'Other')], help_text='The kind of interest the impact touches.', max_length=30)),
                ('nature', models.CharField(choices=[('negative', 'Negative'), ('positive', 'Positive')], default='negative', max_length=10, verbose_name='positive or negative')),
                ('description', models.TextField(help_text='Who is affected, how, and in which situation.')),
                ('severity', models.PositiveSmallIntegerField(choices=[(1, '1 – Negligible'), (2, '2 – Minor'), (3, '3 – Moderate'), (4, '4 – Major'), (5, '5 – Severe')], help_text='How much it would matter to those affected, before mitigations (for a positive impact: how large the benefit is).')),
                ('likelihood', models.PositiveSmallIntegerField(choices=[(1, '1 – Rare'), (2, '2 – Unlikely'), (3, '3 – Possible'), (4, '4 – Likely'), (5, '5 – Almost certain')], help_text='How likely it is to happen, before mitigations.')),
                ('reversibility', models.CharField(choices=[('reversible', 'Reversible'), ('hard_to_reverse', 'Hard to reverse'), ('irreversible', 'Irreversible')], help_text='Whether the harm or benefit can be undone.', max_length=20)),
                ('scale', models.CharField(choices=[('individual', 'Individual'), ('group', 'Group'), ('society', 'Society')], help_text='How widely it reaches: one person, a group, society.', max_length=20)),
                ('mitigations', models.TextField(blank=True, help_text='What reduces a negative impact or secures a positive one: design choices, controls, human review, redress.')),
                ('residual_rating', models.CharField(blank=True, choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], help_text='How serious the impact remains with the mitigations in place.', max_length=10, verbose_name='residual rating')),
                ('linked_risk', models.ForeignKey(blank=True, help_text='The risk in the register that tracks this impact.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='impacts', to='risks.risk', verbose_name='linked risk')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='impacts', to='impact.impactassessment')),
            ],
            options={
                'verbose_name': 'impact',
                'ordering': ['created_at'],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
