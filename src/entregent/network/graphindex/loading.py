"""Every `Connection` row out of the database into two numpy arrays, without the ORM: on PostgreSQL a
binary `COPY ... TO STDOUT` parsed by numpy, elsewhere (SQLite) the DB-API cursor in large batches
flattened by `np.fromiter`. Tens of millions of rows load in seconds instead of the minutes that one
Python object per row would take.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
from django.db import connections

BATCH_ROWS = 250_000
COPY_BUFFER_BYTES = 1 << 22
INT32_MAX = np.iinfo(np.int32).max
PGCOPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
# One binary COPY row of two bigint columns: field count, then (length, value) per field.
PGCOPY_ROW = np.dtype([("fields", ">i2"), ("len_a", ">i4"), ("a", ">i8"), ("len_b", ">i4"), ("b", ">i8")])


class _Pairs:
    """Growing pair arrays, int32 while every id fits (halving the memory), else int64."""

    def __init__(self, capacity: int) -> None:
        self.low = np.empty(max(capacity, 1024), np.int32)
        self.high = np.empty(max(capacity, 1024), np.int32)
        self.size = 0

    def extend(self, low: np.ndarray, high: np.ndarray) -> None:
        count = low.shape[0]
        if not count:
            return
        if self.low.dtype == np.int32 and max(int(low.max()), int(high.max())) > INT32_MAX:
            self.low, self.high = self.low.astype(np.int64), self.high.astype(np.int64)
        if self.size + count > self.low.shape[0]:
            capacity = max(self.size + count, self.low.shape[0] + self.low.shape[0] // 2)
            self.low = np.resize(self.low, capacity)
            self.high = np.resize(self.high, capacity)
        self.low[self.size : self.size + count] = low
        self.high[self.size : self.size + count] = high
        self.size += count

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return self.low[: self.size], self.high[: self.size]


def connection_pairs(using: str = "default") -> tuple[np.ndarray, np.ndarray]:
    """(member_low ids, member_high ids) of every connection, read in one pass."""
    from entregent.network.models import Connection

    connection = connections[using]
    quote = connection.ops.quote_name
    meta = Connection._meta
    table = quote(meta.db_table)
    low = quote(meta.get_field("member_low").column)
    high = quote(meta.get_field("member_high").column)
    connection.ensure_connection()
    raw = connection.connection
    # The largest id bounds the row count (ids are never reused): the arrays are sized once, and the
    # part never written costs no memory.
    with connection.cursor() as cursor:
        # Two queries: each MAX alone is read off an index.
        cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {table}")  # noqa: S608 - quoted names
        largest_pk = cursor.fetchone()[0]
        cursor.execute(f"SELECT MAX({high}) FROM {table}")  # noqa: S608 - quoted names
        largest_member = cursor.fetchone()[0]
    pairs = _Pairs(int(largest_pk or 0))
    if connection.vendor == "postgresql":
        sql = f"SELECT {low}::bigint, {high}::bigint FROM {table}"  # noqa: S608 - quoted names
        batches = _copy_binary(raw, sql)
    elif connection.vendor == "sqlite" and int(largest_member or 0) <= INT32_MAX:
        # SQLite walks the unique (low, high) index: the rows arrive sorted, and so do the lists.
        # One integer per row (low << 32 | high) makes Python build half the objects.
        sql = f"SELECT ({low} << 32) | {high} FROM {table} ORDER BY {low}, {high}"  # noqa: S608
        batches = _fetch_packed(raw, sql)
    else:
        sql = f"SELECT {low}, {high} FROM {table} ORDER BY {low}, {high}"  # noqa: S608 - quoted names
        batches = _fetch(raw, sql)
    for batch_low, batch_high in batches:
        pairs.extend(batch_low, batch_high)
    return pairs.arrays()


def _fetch(raw, sql: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(BATCH_ROWS):
            flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows))
            yield flat[0::2], flat[1::2]
    finally:
        cursor.close()


def _fetch_packed(raw, sql: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(BATCH_ROWS):
            packed = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows))
            yield packed >> 32, packed & 0xFFFFFFFF
    finally:
        cursor.close()


def _copy_binary(raw, sql: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Parse PostgreSQL's binary COPY stream (a header, fixed-size rows, a -1 trailer) in blocks."""
    buffer = bytearray()
    header = False
    with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)") as copy:
        for data in copy:
            buffer += data
            if not header:
                if len(buffer) < 19:
                    continue
                if bytes(buffer[:11]) != PGCOPY_SIGNATURE:
                    raise ValueError("unexpected COPY stream")
                extension = int.from_bytes(buffer[15:19], "big")
                if len(buffer) < 19 + extension:
                    continue
                del buffer[: 19 + extension]
                header = True
            if len(buffer) >= COPY_BUFFER_BYTES:
                yield _parse_rows(buffer, len(buffer) // PGCOPY_ROW.itemsize)
    if not header or bytes(buffer[-2:]) != b"\xff\xff":
        raise ValueError("truncated COPY stream")
    del buffer[-2:]
    if len(buffer) % PGCOPY_ROW.itemsize:
        raise ValueError("unexpected COPY stream")
    yield _parse_rows(buffer, len(buffer) // PGCOPY_ROW.itemsize)


def _parse_rows(buffer: bytearray, count: int) -> tuple[np.ndarray, np.ndarray]:
    size = count * PGCOPY_ROW.itemsize
    rows = np.frombuffer(bytes(buffer[:size]), dtype=PGCOPY_ROW, count=count)
    del buffer[:size]
    if count and not (
        (rows["fields"] == 2).all() and (rows["len_a"] == 8).all() and (rows["len_b"] == 8).all()
    ):
        raise ValueError("unexpected COPY row (a NULL or another type)")
    return rows["a"].astype(np.int64), rows["b"].astype(np.int64)
