"""The DuckDB connection: opening, migrating, recovering after a killed process, cursors."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core.errors import StoreError
from core.store.migrations import MIGRATIONS

INTERRUPTED_MESSAGE = "the process running this analysis stopped before it finished"


class Database:
    """Owns one DuckDB connection; every query runs on its own cursor, so threads can share it."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path)
        except duckdb.IOException as exc:
            raise StoreError(f"cannot open the database {self.path}: {_first_line(exc)}") from None
        except duckdb.Error as exc:
            raise StoreError(
                f"{self.path} is not a usable DuckDB database: {_first_line(exc)}"
            ) from None
        self._write_lock = threading.Lock()
        self.applied_migrations = self._migrate()
        self.recovered = self._mark_interrupted()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        except duckdb.Error as exc:
            raise StoreError(f"database error: {_first_line(exc)}") from exc
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        # One writer transaction at a time avoids DuckDB's optimistic-concurrency conflicts
        # between threads that touch the same rows (e.g. two sessions importing one playbook).
        with self._write_lock, self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def close(self) -> None:
        self._con.close()

    def _migrate(self) -> list[str]:
        with self.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name VARCHAR PRIMARY KEY,"
                " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
            )
            done = {row[0] for row in cur.execute("SELECT name FROM schema_migrations").fetchall()}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction() as cur:
                cur.execute(sql)
                cur.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
            applied.append(name)
        return applied

    def _mark_interrupted(self) -> int:
        # One process owns the file (DuckDB's lock), so a row still `running` when we open it
        # belongs to a process that died mid-analysis. Its stored findings stay as they are.
        with self.transaction() as cur:
            rows = cur.execute(
                "UPDATE analyses SET status = 'interrupted', error = ?,"
                " finished_at = current_timestamp WHERE status = 'running' RETURNING id",
                [INTERRUPTED_MESSAGE],
            ).fetchall()
        return len(rows)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
