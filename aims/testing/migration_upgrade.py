"""Check that the squashed migrations keep existing installations working.

    python -m aims.testing.migration_upgrade                 # SQLite, in a temporary folder
    python -m aims.testing.pg_cluster -- python -m aims.testing.migration_upgrade   # PostgreSQL
    python -m aims.testing.migration_upgrade --old-tree DIR  # step 1 with DIR's migrations

With --old-tree, step 1 runs `manage.py migrate` in another checkout (say `git worktree add DIR
<commit before the squash>`), so the old database is exactly what that release built.

Three steps, each in its own process, as real installations live through them:
1. an "old" database is migrated with the migrations the squashes replace (the files stay in the
   tree; the loader is told not to use the squashes), as an installation did before the squash;
2. `migrate` with the squashes must then have nothing to apply to that database (it records the
   squashes as applied), `showmigrations` shows every migration applied and `makemigrations
   --check` finds nothing to write;
3. a fresh database is built with the squashes, and its tables, columns, indexes and constraints
   must be those of the old database, name for name (but for a field's own UNIQUE, which
   PostgreSQL names when the table is created with it and Django when it was added later).
With DATABASE_URL set to a PostgreSQL database (pg_cluster does so), two databases are created
next to it for the old and the fresh schema and dropped at the end. Exit status 0 when all holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
MANAGE = str(ROOT / "manage.py")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def _stage_old() -> None:
    """Migrate to the last replaced migration of every app, as before the squash."""
    _setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.loader import MigrationLoader

    executor = MigrationExecutor(connection)
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    squashes = {key for key, m in executor.loader.disk_migrations.items() if m.replaces}
    targets = [key for key in executor.loader.graph.leaf_nodes() if key not in squashes]
    executor.migrate(targets)
    replaced = sorted(f"{a}.{n}" for key in squashes
                      for a, n in executor.loader.disk_migrations[key].replaces)
    print(json.dumps({"replaced_applied": replaced}))


def _constraint_name(name: str, constraint: dict) -> str:
    """A field's own UNIQUE is named by PostgreSQL (`<table>_<column>_key`) when the table is
    created with it, and by Django (`<table>_<column>_<hash>_uniq`) when a later migration made
    the field unique; the constraint is the same, and Django finds it by its column either way.
    """
    if (constraint.get("unique") and not constraint.get("primary_key")
            and name.endswith(("_key", "_uniq"))):
        return f"unique({','.join(constraint['columns'])})"
    return name


def _stage_schema() -> None:
    """Print the database's tables, columns, indexes and constraints as JSON."""
    _setup()
    from django.db import connection

    schema: dict[str, dict] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table == "django_migrations":
                continue
            columns = {
                col.name: [col.type_code if connection.vendor != "sqlite" else str(col.type_code),
                           bool(col.null_ok), col.default is not None and connection.vendor == "postgresql"]
                for col in connection.introspection.get_table_description(cursor, table)
            }
            constraints = {
                _constraint_name(name, c): {
                    k: (sorted(v) if isinstance(v, list) and k != "columns" else v)
                    for k, v in c.items()
                    if k in ("columns", "primary_key", "unique", "foreign_key", "check", "index")}
                for name, c in connection.introspection.get_constraints(cursor, table).items()
                if not name.startswith("__unnamed_constraint_")  # SQLite's nameless CHECKs
            }
            checks = sorted(len(c["columns"]) for n, c in
                            connection.introspection.get_constraints(cursor, table).items()
                            if n.startswith("__unnamed_constraint_"))
            schema[table] = {"columns": columns, "constraints": constraints, "checks": checks}
    print(json.dumps(schema, default=str, sort_keys=True))


def _run(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> str:
    done = subprocess.run([sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(args)}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def _databases(tmp: Path) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Environments for the old and the fresh database, and PostgreSQL databases to drop."""
    base = dict(os.environ)
    base.setdefault("AIMS_SECRET_KEY", "migration-upgrade-check-" + "x" * 40)
    url = os.environ.get("DATABASE_URL", "")
    envs = []
    created = []
    for name in ("upgrade_old", "upgrade_fresh"):
        env = dict(base, AIMS_VAR_DIR=str(tmp / name))
        (tmp / name).mkdir()
        if url.startswith("postgres"):
            import psycopg

            parts = urlsplit(url)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
        else:
            env.pop("DATABASE_URL", None)  # SQLite in AIMS_VAR_DIR
        envs.append(env)
    return envs[0], envs[1], created


def _drop(created: list[str]) -> None:
    if not created:
        return
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for name in created:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main(old_tree: Path | None) -> int:
    with tempfile.TemporaryDirectory(prefix="aims-upgrade-") as tmp:
        old, fresh, created = _databases(Path(tmp))
        try:
            if old_tree:
                _run([str(old_tree / "manage.py"), "migrate", "--skip-checks", "-v", "0"], old,
                     cwd=old_tree)
                print(f"1. old database migrated with the migrations of {old_tree}")
            else:
                replaced = json.loads(_run(["-m", "aims.testing.migration_upgrade", "--stage", "old"], old))["replaced_applied"]
                print(f"1. old database migrated without the squashes ({len(replaced)} replaced "
                      "migrations among them)")
            plan = _run([MANAGE, "migrate", "--plan", "--skip-checks"], old)
            if "No planned migration operations." not in plan:
                print(f"FAIL: the squashes would change an upgraded database:\n{plan}")
                return 1
            _run([MANAGE, "migrate", "--skip-checks", "-v", "0"], old)
            shown = _run([MANAGE, "showmigrations", "--skip-checks"], old)
            if "[ ]" in shown:
                print(f"FAIL: migrations left unapplied after the upgrade:\n{shown}")
                return 1
            _run([MANAGE, "makemigrations", "--check", "--dry-run", "--skip-checks"], old)
            print("2. the upgraded database takes the squashes as applied; nothing to migrate, "
                  "nothing to write")
            _run([MANAGE, "migrate", "--skip-checks", "-v", "0"], fresh)
            a = json.loads(_run(["-m", "aims.testing.migration_upgrade", "--stage", "schema"], old))
            b = json.loads(_run(["-m", "aims.testing.migration_upgrade", "--stage", "schema"], fresh))
            differences = [t for t in sorted(set(a) | set(b)) if a.get(t) != b.get(t)]
            for table in differences:
                print(f"FAIL: {table} differs:\n  old:   {a.get(table)}\n  fresh: {b.get(table)}")
            if differences:
                return 1
            print(f"3. a fresh database built with the squashes has the same {len(a)} tables, "
                  "columns, indexes and constraints")
        finally:
            _drop(created)
    return 0


if __name__ == "__main__":
    if sys.argv[1:3] == ["--stage", "old"]:
        _stage_old()
    elif sys.argv[1:3] == ["--stage", "schema"]:
        _stage_schema()
    elif sys.argv[1:2] == ["--old-tree"] and len(sys.argv) == 3:
        raise SystemExit(main(Path(sys.argv[2]).resolve()))
    else:
        raise SystemExit(main(None))
