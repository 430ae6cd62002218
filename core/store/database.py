"""The DuckDB connection: opening, migrating, recovering after a killed process, cursors."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Self

import duckdb

from core.errors import DatabaseBusy, StoreError
from core.store.migrations import MIGRATIONS
from core.store.records import fetch_all

INTERRUPTED_MESSAGE = "the process running this analysis stopped before it finished"


class Database:
    """Owns one DuckDB connection; every query runs on its own cursor, so threads can share it."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        """`read_only` (for commands that only read, like `history`): no migrations or recovery,
        and other read-only processes may open the file at the same time."""
        self.path = str(path)
        self.read_only = read_only
        if self.path != ":memory:" and not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            raise _open_error(self.path, exc) from None
        except duckdb.Error as exc:
            raise StoreError(
                f"{self.path} is not a usable DuckDB database: {_first_line(exc)}"
            ) from None
        self._write_lock = threading.Lock()
        if read_only:
            self.applied_migrations: list[str] = []
            self.recovered = 0
            self._check_schema()
        else:
            self.applied_migrations = self._migrate()
            self.recovered = self._mark_interrupted()

    @classmethod
    def open_for_reading(cls, path: Path) -> Self:
        """Read-only when the file exists and is up to date, so several readers can share it;
        otherwise (new or older file) read-write, which creates or upgrades it."""
        if path.exists():
            try:
                return cls(path, read_only=True)
            except DatabaseBusy:
                raise
            except StoreError:
                pass
        return cls(path)

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
            cur.execute("SELECT name FROM schema_migrations")
            done = {row["name"] for row in fetch_all(cur)}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction() as cur:
                cur.execute(sql)
                cur.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
            applied.append(name)
        return applied

    def _check_schema(self) -> None:
        with self.cursor() as cur:
            try:
                cur.execute("SELECT name FROM schema_migrations")
                done = {row["name"] for row in fetch_all(cur)}
            except duckdb.CatalogException:
                done = set()
        missing = [name for name, _ in MIGRATIONS if name not in done]
        if missing:
            self._con.close()
            raise StoreError(
                f"{self.path} needs upgrading ({len(missing)} schema changes); open it once "
                "without read-only access (e.g. run the dashboard or `analyze`)"
            )

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


def _open_error(path: str, exc: duckdb.IOException) -> StoreError:
    """DuckDB lets one process write a file (or several only read it); say which one has it."""
    text = str(exc)
    if "lock" not in text.lower():
        return StoreError(f"cannot open the database {path}: {_first_line(exc)}")
    holder = re.search(r"PID (\d+)", text)
    who = f" (process {holder.group(1)})" if holder else ""
    return DatabaseBusy(
        f"the database {path} is in use by another Contract Analyzer process{who}, such as "
        "the dashboard or a running analysis; close it, wait for it to finish, or use --db "
        "with another file"
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def columns_select(types: Sequence[str]) -> str:
    """`SELECT unnest(?::T1[]) AS c0, …`: many rows from one list per column, in one statement.
    Bulk inserts use it instead of registering a pandas DataFrame, whose import alone cost every
    command-line analysis ~0.6 s. Pass the columns as parameters, in order."""
    return "SELECT " + ", ".join(f"unnest(?::{t}[]) AS c{i}" for i, t in enumerate(types))


def as_columns(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """Rows turned into the one-list-per-column parameters `columns_select` reads."""
    return [list(column) for column in zip(*rows, strict=True)]
