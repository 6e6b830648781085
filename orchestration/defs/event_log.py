"""Dagster's SQLite event log, without a disk sync per event.

The stock storage opens, commits (an fsync) and closes (a WAL checkpoint, another fsync) a SQLite
connection for every event, twice for asset and check events (run shard and index). A refresh
records ~300 events, so on a slow disk that alone took seconds. Here each process keeps a few
connections open per shard (the WAL is checkpointed as usual, not on every close), and commits with
synchronous=NORMAL, which in WAL mode is durable against a crash of the process; only a power loss
can drop the last events. dagster.yaml selects it; the rest is Dagster's own storage.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as db
from dagster import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from sqlalchemy.pool import QueuePool

SQLITE_BUSY_TIMEOUT_S = 120
OPEN_SHARDS = 8  # the index and the latest runs' shards; older ones are closed


def _synchronous_normal(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str | None = None, inst_data=None):
        base_dir = base_dir or os.path.join(os.environ["DAGSTER_HOME"], "history", "runs")
        self._engines: OrderedDict[str, db.engine.Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> db.engine.Engine:
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = db.create_engine(self.conn_string_for_shard(shard), poolclass=QueuePool, pool_size=1,
                                      max_overflow=2, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S,
                                                                    "check_same_thread": False})
            db.event.listen(engine, "connect", _synchronous_normal)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_SHARDS:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[db.engine.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        super().dispose()
