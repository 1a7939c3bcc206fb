"""Querysets whose SQL is compiled once per process and database, then run with each call's values.

Django builds a queryset's query and compiles its SQL anew on every evaluation. On the rush's pages
that is a fifth to a third of their CPU (docs/benchmarks.md, "Compiled once"): the same few shapes
(the signed-in user, the application of a page) compiled thousands of times a minute, with only
their ids changing. No maintained library keeps Django's compiled SQL (django-prepared-queries
stops before Django 2.0; cachalot and cacheops keep *results*, which a page that must show the
latest row version cannot use), so it is done here, in one place, on Django's own compiler:

- `build(*values)` returns the queryset. It is called once per database with probe values no row
  has, and once more with other probes, to prove that the values, and nothing else, change between
  the two compilations; the probes' places among the compiled parameters are kept.
- Each call puts its values in those places and runs the same SQL through a copy of the same
  compiler, so that rows become model instances (select_related, only, prefetch_related) exactly as
  Django makes them.

The contract, checked on every call where settings.PREPARED_QUERIES_CHECK is on (the test suite):
the queryset `build` returns depends on its arguments alone (no clock, no setting, no attribute of
an object it was not given), and its shape on their types, not their values. A call with a value of
another type than declared (None, say) takes Django's ordinary path. A call returns a list: the
result cannot be refined further (its filters hold the probes' values, not the call's).
"""

import copy
import functools
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, router
from django.db.models import QuerySet

# Beyond any id and within a 32-bit integer column (Django finds nothing, without SQL, for a value
# out of a column's range, which would change the shape).
_PROBE_INT = 2_000_000_000


def _probes(types: Sequence[type], round_: int) -> tuple:
    probes = []
    for position, kind in enumerate(types):
        if kind is int:
            probes.append(_PROBE_INT + round_ * 1000 + position)
        elif kind is str:
            probes.append(f"\u2063probe-{round_}-{position}")
        else:
            raise TypeError(f"prepared queries take int and str values, not {kind.__name__}")
    return tuple(probes)


class _BoundQuery:
    """The probe's query with the compiler that carries one call's values. Anything that would
    derive another query from it (a filter, a count, a slice) is refused: it would hold the probes'
    values."""

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def chain(self, *args, **kwargs):
        raise TypeError("a prepared query's result cannot be refined: change its build instead")

    clone = chain

    def __getattr__(self, name):
        return getattr(self._query, name)


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    places: tuple[tuple[int, int], ...]  # (parameter position, value index)
    # The columns' converters (compiler.get_converters), per connection and list of columns: Django
    # asks every column's field and the backend for them on every execution, some 10 calls a
    # column; the same columns of the same compiled query have the same converters. Per connection
    # object (one per thread), since the backend's converters are its bound methods.
    converters: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)

    def converters_for(self, connection, compiler, expressions) -> dict:
        by_columns = self.converters.get(connection)
        if by_columns is None:
            by_columns = self.converters[connection] = {}
        # The columns are the compiled query's own (its `select`, alive as long as it is): their
        # ids name them. A list of other columns (none that Django's iterables pass) is not kept.
        key = tuple(map(id, expressions))
        found = by_columns.get(key)
        if found is None:
            found = type(compiler).get_converters(compiler, expressions)
            if len(by_columns) < 4:
                by_columns[key] = found
        return found


_EMPTY = object()
# The slices (pages) of one query kept compiled; a page further on is compiled when read.
_SLICES = 32


class PreparedRows:
    """A prepared query's rows as django.core.paginator reads them: counted, and each page read, in
    SQL compiled once."""

    def __init__(self, prepared: "Prepared", values: tuple):
        self.prepared = prepared
        self.values = values

    def count(self) -> int:
        return self.prepared.count(*self.values)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, rows: slice) -> list:
        if not isinstance(rows, slice) or rows.step is not None:
            raise TypeError("a page of rows is read by a slice")
        return self.prepared.slice(rows.start or 0, rows.stop)(*self.values)


class Prepared:
    """A queryset shape compiled once: `Prepared(build, int, str)(7, "江苏")` is
    `list(build(7, "江苏"))` without building or compiling it again."""

    def __init__(self, build: Callable[..., QuerySet], *types: type):
        self.build = build
        self.types = types
        self._compiled: dict[str, object] = {}
        self._model = None
        self._counted: Prepared | None = None
        self._slices: dict[tuple[int, int], Prepared] = {}

    def __call__(self, *values) -> list:
        bound = self._bind(values)
        if bound is None:
            return list(self.build(*values))
        compiled, alias, params = bound
        if compiled is _EMPTY:
            return []
        compiler = copy.copy(compiled.compiler)
        connection = compiler.connection = connections[alias]
        compiler.using = alias
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        compiler.get_converters = functools.partial(compiled.converters_for, connection, compiler)
        template = compiled.queryset
        queryset = template.__class__(
            model=template.model, query=_BoundQuery(template.query, compiler), using=alias
        )
        queryset._prefetch_related_lookups = template._prefetch_related_lookups
        queryset._iterable_class = template._iterable_class
        queryset._fields = template._fields
        return list(queryset)

    def first(self, *values):
        """The call's first row, or None when it reads none (build slices it `[:1]` if it may
        read more than one)."""
        rows = self(*values)
        return rows[0] if rows else None

    def count(self, *values) -> int:
        """How many rows the call would read (its SQL counted: one query, compiled once too)."""
        if self._counted is None:
            build = self.build

            def counted(*values):
                return build(*values).order_by().values("pk")

            counted.__qualname__ = f"{build.__qualname__} counted"
            self._counted = Prepared(counted, *self.types)
        bound = self._counted._bind(values)
        if bound is None:
            return self.build(*values).count()
        compiled, alias, params = bound
        if compiled is _EMPTY:
            return 0
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({compiled.sql}) counted", params)
            return cursor.fetchone()[0]

    def slice(self, start: int, stop: int) -> "Prepared":
        """The rows start to stop of the same query (a page of a list): each slice a shape of its own,
        the first _SLICES of them kept."""
        key = (start, stop)
        sliced = self._slices.get(key)
        if sliced is None:
            build = self.build

            def rows(*values):
                return build(*values)[start:stop]

            rows.__qualname__ = f"{build.__qualname__}[{start}:{stop}]"
            sliced = Prepared(rows, *self.types)
            if len(self._slices) < _SLICES:
                self._slices[key] = sliced
        return sliced

    def _bind(self, values: tuple):
        """The compiled SQL and this call's parameters, or None for Django's ordinary path."""
        if len(values) != len(self.types) or any(
            type(value) is not kind for value, kind in zip(values, self.types, strict=True)
        ):
            return None
        if self._model is None:
            self._model = self.build(*_probes(self.types, 0)).model
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        if compiled is _EMPTY:
            return compiled, alias, ()
        params = list(compiled.params)
        for position, index in compiled.places:
            params[position] = values[index]
        params = tuple(params)
        if settings.PREPARED_QUERIES_CHECK:
            self._check(alias, values, compiled.sql, params)
        return compiled, alias, params

    def _compile(self, alias: str):
        first, second = _probes(self.types, 1), _probes(self.types, 2)
        queryset = self.build(*first)
        if queryset.query.is_empty():
            return _EMPTY
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        other_sql, other_params = self.build(*second).query.get_compiler(using=alias).as_sql()
        places = tuple(
            (position, first.index(value))
            for position, value in enumerate(params)
            if isinstance(value, int | str) and value in first
        )
        unchanged = [position for position in range(len(params)) if position not in dict(places)]
        if (
            sql != other_sql
            or len(params) != len(other_params)
            or {index for _, index in places} != set(range(len(self.types)))
            or any(other_params[position] != second[index] for position, index in places)
            or any(params[position] != other_params[position] for position in unchanged)
        ):
            raise ValueError(
                f"{self.build.__qualname__}: its SQL does not take each value as a parameter of its own"
            )
        return _Compiled(queryset, compiler, sql, tuple(params), places)

    def _check(self, alias: str, values: tuple, sql: str, params: tuple) -> None:
        expected_sql, expected_params = self.build(*values).query.get_compiler(using=alias).as_sql()
        if (expected_sql, tuple(expected_params)) != (sql, params):
            raise AssertionError(
                f"{self.build.__qualname__} depends on more than its arguments:\n"
                f"prepared {sql} {params}\nbuilt    {expected_sql} {tuple(expected_params)}"
            )


class PreparedIn:
    """`build(ids)`'s rows, a queryset filtered by `<column>__in=ids`, in SQL compiled once per
    size: the ids are padded to the next of `sizes` with ids no row has (negative ones), so that
    a page's few ids take one of a few shapes instead of one per count; a longer list is read in
    chunks of the largest. For what prefetch_related reads of a page's rows (which compiles its
    SQL on every request). `build` must filter by the ids alone: rows come back chunk by chunk."""

    def __init__(self, build: Callable[[list[int]], QuerySet], sizes: Sequence[int] = (1, 4, 16, 64)):
        self.build = build
        self.sizes = tuple(sizes)
        self._by_size: dict[int, Prepared] = {}

    def __call__(self, ids) -> list:
        ids = sorted(set(ids))
        largest = self.sizes[-1]
        rows = []
        for start in range(0, len(ids), largest):
            chunk = ids[start : start + largest]
            size = next(size for size in self.sizes if size >= len(chunk))
            rows += self._prepared(size)(*chunk, *range(-1, len(chunk) - size - 1, -1))
        return rows

    def _prepared(self, size: int) -> Prepared:
        prepared = self._by_size.get(size)
        if prepared is None:
            build = self.build

            def padded(*ids):
                return build(list(ids))

            padded.__qualname__ = f"{build.__qualname__}[{size}]"
            prepared = self._by_size[size] = Prepared(padded, *(int,) * size)
        return prepared


def related_rows(instance, related_name: str, prepared: Prepared, *, whole: bool = True) -> list:
    """`instance.<related_name>.all()` as a list: the prefetched rows if the page prefetched them,
    else `prepared(instance.pk)`'s, each with its foreign key's instance set to `instance` (as the
    related manager sets it). A read of part of the relation (`whole=False`: filtered, or joined
    to what a prefetch does not read) is not served by a prefetch of it."""
    if whole and related_name in getattr(instance, "_prefetched_objects_cache", {}):
        return list(getattr(instance, related_name).all())
    rows = prepared(instance.pk)
    foreign_key = instance._meta.get_field(related_name).field
    for row in rows:
        foreign_key.set_cached_value(row, instance)
    return rows


def keep_prefetched(instance, related_name: str, rows: list) -> None:
    """Leave `rows` as `prefetch_related(related_name)` leaves them on `instance`: its
    `<related_name>.all()` (a template's `r.judgements.all`) returns them without a query, and each
    row's foreign key is `instance`. For rows a page read for several instances together in one
    prepared query (prefetch_related compiles its SQL on every request). Django has no public way
    to do this: it is what its prefetch_one_level does, on the same attributes."""
    manager = getattr(instance, related_name)
    foreign_key = manager.field
    for row in rows:
        foreign_key.set_cached_value(row, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[related_name] = queryset
