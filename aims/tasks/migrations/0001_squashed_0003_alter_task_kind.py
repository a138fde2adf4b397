"""The app's migrations up to 0003_alter_task_kind squashed into one, for a fresh database: each model
created once with its final fields, indexes and constraints. A database that already applied
the migrations it replaces sees it as applied; the replaced files stay until every
installation has passed this point."""

import django.core.validators
import django.db.models.deletion
import django.db.models.manager
import uuid
from django.conf import settings
from django.db import migrations, models

from aims.core.schema_migrations import CreateModels


class Migration(CreateModels):

    replaces = [('tasks', '0001_initial'), ('tasks', '0002_feeds_reminders_anchor_day'), ('tasks', '0003_alter_task_kind')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('orgs', '0002_reassessment_interval'),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('org', 'user'), name='calendar_feed_one_per_member')],
            },
        ),
        migrations.CreateModel(
            name='ReminderLog',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('sent_on', models.DateField()),
                ('items', models.PositiveIntegerField(help_text='How many tasks and actions it listed.')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('org', 'user', 'sent_on'), name='reminder_once_a_day')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Task',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented on every change.')),
                ('subject_kind', models.CharField(blank=True, help_text='The kind of record this relates to.', max_length=40)),
                ('subject_id', models.UUIDField(blank=True, help_text='The record this relates to.', null=True)),
                ('number', models.PositiveIntegerField(editable=False)),
                ('ref', models.CharField(editable=False, max_length=12, verbose_name='reference')),
                ('title', models.CharField(help_text='What needs doing, in a few words.', max_length=200)),
                ('description', models.TextField(blank=True, help_text='Details: what done looks like, where to look.')),
                ('kind', models.CharField(choices=[('evidence_request', 'Evidence request'), ('review', 'Review'), ('treatment_action', 'Treatment action'), ('corrective_action', 'Corrective action'), ('review_action', 'Management review action'), ('plan_step', 'Implementation plan step'), ('other', 'Other')], default='other', max_length=20)),
                ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('done', 'Done'), ('cancelled', 'Cancelled')], default='open', max_length=12)),
                ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], default='normal', max_length=8)),
                ('due_date', models.DateField(blank=True, help_text='When it must be done by.', null=True)),
                ('recurrence_every', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty for one-off work. Completing a recurring task creates the next one, due this many days, weeks or months after the completed one was due.', null=True, validators=[django.core.validators.MinValueValidator(1, 'Repeat at least every 1 day, week or month.'), django.core.validators.MaxValueValidator(365, 'Repeat at most every 365 days, weeks or months; use a longer unit instead.')], verbose_name='repeat every')),
                ('recurrence_unit', models.CharField(blank=True, choices=[('days', 'Days'), ('weeks', 'Weeks'), ('months', 'Months')], max_length=8, verbose_name='repeat unit')),
                ('completed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('completion_note', models.TextField(blank=True, editable=False)),
                ('completed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('owner', models.ForeignKey(blank=True, help_text='The member who does it (or makes sure it is done).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('previous', models.OneToOneField(blank=True, editable=False, help_text='The occurrence this one follows.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='next', to='tasks.task')),
                ('anchor_day', models.PositiveSmallIntegerField(blank=True, editable=False, help_text='The day of the month a monthly series falls on, so a series due on the 31st comes back to the 31st after a shorter month.', null=True)),
            ],
            options={
                'ordering': ['due_date', 'number'],
                'indexes': [models.Index(fields=['org', 'subject_kind', 'subject_id'], name='tasks_task_org_id_770ae0_idx'), models.Index(fields=['org', 'owner', 'status'], name='tasks_task_org_id_1389d4_idx')],
                'constraints': [models.UniqueConstraint(fields=('org', 'number'), name='task_unique_number')],
            },
            managers=[
                ('all_orgs', django.db.models.manager.Manager()),
            ],
        ),
    ]
