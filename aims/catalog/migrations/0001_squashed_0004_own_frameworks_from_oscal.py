"""The app's migrations up to 0004_own_frameworks_from_oscal squashed into one, for a fresh database: each model
created once with its final fields, indexes and constraints. A database that already applied
the migrations it replaces sees it as applied; the replaced files stay until every
installation has passed this point."""

import django.db.models.deletion
from django.db import migrations, models

from aims.core.schema_migrations import CreateModels


class Migration(CreateModels):

    replaces = [('catalog', '0001_initial'), ('catalog', '0002_frameworks_and_crosswalks'), ('catalog', '0003_framework_version_length'), ('catalog', '0004_own_frameworks_from_oscal')]

    initial = True

    dependencies = [
        ('orgs', '0004_organization_require_mfa'),
    ]

    operations = [
        migrations.CreateModel(
            name='Framework',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40)),
                ('name', models.CharField(max_length=120)),
                ('title', models.CharField(blank=True, max_length=300)),
                ('version', models.CharField(max_length=80)),
                ('publisher', models.CharField(blank=True, max_length=120)),
                ('data_version', models.PositiveIntegerField(default=1)),
                ('attribution', models.TextField(blank=True)),
                ('domains', models.JSONField(default=list, help_text='[{ref, title}] for grouping controls.')),
                ('role', models.CharField(default='requirements', help_text='requirements: a framework an organisation reports against; risk_sources: a taxonomy risks are tagged with.', max_length=20)),
                ('timeline', models.JSONField(default=list, help_text="[{key, date, label, basis}]: the dates the framework's requirements apply from, named by key (kept as data so an amendment is a data change).")),
                ('org', models.ForeignKey(blank=True, help_text='The organisation that brought this framework in from an OSCAL catalog, which alone sees it; empty for the frameworks shipped with aims.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('source_uuid', models.CharField(blank=True, help_text="The OSCAL catalog's UUID as last imported (with the title, how a newer version of the same catalog is recognised).", max_length=36)),
            ],
            options={
                'ordering': ['code'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('org__isnull', True)), fields=('code',), name='framework_unique_code'), models.UniqueConstraint(condition=models.Q(('org__isnull', False)), fields=('org', 'code'), name='framework_unique_code_per_org')],
            },
        ),
        migrations.CreateModel(
            name='Requirement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ref', models.CharField(max_length=40)),
                ('kind', models.CharField(choices=[('clause', 'Clause'), ('annex_a_objective', 'Annex A objective'), ('annex_a_control', 'Annex A control'), ('article', 'Article'), ('annex', 'Annex'), ('function', 'Function'), ('category', 'Category'), ('subcategory', 'Subcategory'), ('risk_source', 'Risk source'), ('group', 'Group'), ('control', 'Control')], max_length=30)),
                ('title', models.CharField(max_length=300)),
                ('domain', models.CharField(blank=True, help_text='Annex A domain (A.2 … A.10) or top clause (4 … 10).', max_length=20)),
                ('documented_information', models.CharField(blank=True, max_length=20)),
                ('description', models.TextField(blank=True)),
                ('auditor_asks', models.JSONField(default=list)),
                ('questions', models.JSONField(default=list)),
                ('sort_key', models.CharField(db_index=True, max_length=80)),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requirements', to='catalog.framework')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='catalog.requirement')),
                ('addressees', models.JSONField(blank=True, default=list)),
                ('applies_from', models.JSONField(blank=True, default=list)),
                ('applies_to', models.CharField(blank=True, max_length=200)),
                ('notes', models.TextField(blank=True, help_text='Where the data for this item comes from.')),
                ('label', models.CharField(blank=True, help_text='The number printed for it, when the catalog gives one.', max_length=40)),
                ('retired_in', models.CharField(blank=True, help_text="For an organisation's own catalog: the version that no longer has it. Its decision and evidence are kept as a record.", max_length=80)),
            ],
            options={
                'ordering': ['framework', 'sort_key'],
                'constraints': [models.UniqueConstraint(fields=('framework', 'ref'), name='requirement_unique_ref')],
            },
        ),
        migrations.CreateModel(
            name='Mapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('relationship', models.CharField(help_text='As the crosswalk states it.', max_length=30)),
                ('coverage', models.CharField(choices=[('equivalent', 'Equivalent'), ('substantial', 'Substantial'), ('partial', 'Partial'), ('related', 'Related'), ('weak', 'Weak'), ('none', 'No counterpart')], max_length=20)),
                ('confidence', models.CharField(blank=True, max_length=10)),
                ('provenance', models.CharField(blank=True, help_text='Who made the pair, or on what basis.', max_length=300)),
                ('corroborated_by', models.CharField(blank=True, max_length=300)),
                ('ref_as_published', models.CharField(blank=True, max_length=200)),
                ('scf_transitive_support', models.CharField(blank=True, max_length=5)),
                ('notes', models.TextField(blank=True)),
                ('position', models.PositiveIntegerField(help_text='Row order in the data file.')),
                ('framework', models.ForeignKey(help_text='The framework mapped to ISO/IEC 42001.', on_delete=django.db.models.deletion.CASCADE, related_name='mappings', to='catalog.framework')),
                ('source', models.ForeignKey(blank=True, help_text='The ISO/IEC 42001 clause or control.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='mappings_out', to='catalog.requirement')),
                ('target', models.ForeignKey(blank=True, help_text='The requirement of the other framework.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='mappings_in', to='catalog.requirement')),
            ],
            options={
                'ordering': ['framework', 'position'],
                'constraints': [models.UniqueConstraint(fields=('framework', 'position'), name='mapping_unique_position')],
            },
        ),
    ]
