"""Create or drop a PostgreSQL database for a test run: `pg_database.py create|drop NAME`.

Connects to the server's `postgres` database (PORTAL_PG_ADMIN_URL, default the local
trust-auth server) so that no psql client is needed.
"""

import os
import re
import sys

import psycopg

ADMIN_URL = os.environ.get("PORTAL_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def main(action: str, name: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        sys.exit(f"not a safe database name: {name!r}")
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
        if action == "create":
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
        elif action == "drop":
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            sys.exit("usage: pg_database.py create|drop NAME")


if __name__ == "__main__":
    main(*sys.argv[1:3])
