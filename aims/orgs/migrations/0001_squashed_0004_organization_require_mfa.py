"""The app's migrations up to 0004_organization_require_mfa squashed into one, for a fresh database: each model
created once with its final fields, indexes and constraints. A database that already applied
the migrations it replaces sees it as applied; the replaced files stay until every
installation has passed this point."""

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

from aims.core.schema_migrations import CreateModels


class Migration(CreateModels):

    replaces = [('orgs', '0001_initial'), ('orgs', '0002_reassessment_interval'), ('orgs', '0003_membership_dates'), ('orgs', '0004_organization_require_mfa')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('slug', models.SlugField(unique=True, validators=[django.core.validators.RegexValidator('^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$', 'Use 1–50 lowercase letters, digits or hyphens, starting and ending with a letter or digit.')])),
                ('name', models.CharField(max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('log_head_seq', models.PositiveBigIntegerField(default=0)),
                ('log_head_hash', models.CharField(blank=True, default='', max_length=64)),
                ('reassessment_interval_months', models.PositiveSmallIntegerField(default=12, help_text="How often each AI system's impact assessment is redone.")),
                ('require_mfa', models.BooleanField(default=False, help_text='Members must use two-factor authentication to open it.')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('role', models.CharField(choices=[('owner', 'Owner'), ('admin', 'Admin'), ('editor', 'Editor'), ('viewer', 'Viewer'), ('auditor', 'Auditor')], max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='orgs.organization')),
                ('ends_on', models.DateField(blank=True, help_text='Last day the membership grants access.', null=True)),
                ('starts_on', models.DateField(blank=True, help_text='First day the membership grants access.', null=True)),
            ],
            options={
                'ordering': ['org__name'],
                'constraints': [models.UniqueConstraint(fields=('org', 'user'), name='membership_unique_user_per_org'), models.CheckConstraint(condition=models.Q(('starts_on__isnull', True), ('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='membership_ends_after_it_starts')],
            },
        ),
    ]
