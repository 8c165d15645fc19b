"""
Querysets compiled once per process and database, run with new values each time.

Some small queries run on every uncached request (the content state, a post's
neighbours), and Django builds and compiles each again every time: for them that is
several times the cost of running it. A `PreparedQuery` builds its queryset once with
stand-in values for its parameters, compiles it, remembers where each stand-in went in
the SQL's parameters, and from then on only puts each run's values there.

Stand-ins are values no real query would carry (a date in 2000 to the microsecond, a
negative id); each must appear in the compiled parameters, or the query is refused
(`ImproperlyConfigured`), so that a parameter Django folded into the SQL text is never
silently frozen at its first value.
"""

import datetime
import threading

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models.query import get_related_populators

# Stand-ins by kind of parameter (the nth parameter of a kind gets the nth stand-in).
_STAND_INS = {
    datetime.datetime: lambda number: (
        datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        + datetime.timedelta(seconds=number, microseconds=100001)
    ),
    int: lambda number: -918273645 - number,
    str: lambda number: f"\u2063plume-stand-in-{number}\u2063",
}


class PreparedQuery:
    """
    `build(**stand_ins)` → a queryset of `model` whose parameters are those keyword values:

        NEXT = PreparedQuery(Post, lambda date: Post.objects.filter(published_at__gt=date)[:1],
                             date=datetime.datetime)
        NEXT.instances(date=post.published_at)

    `kinds` names each parameter's kind (datetime.datetime, int or str). The database is the
    router's choice for reading `model`, as the queryset's would be.
    """

    def __init__(self, model, build, **kinds):
        self.model, self.build, self.kinds = model, build, kinds
        self._compiled = {}
        self._lock = threading.Lock()

    def _stand_ins(self):
        counters, values = {}, {}
        for name, kind in self.kinds.items():
            number = counters[kind] = counters.get(kind, -1) + 1
            values[name] = _STAND_INS[kind](number)
        return values

    def _compile(self, using):
        compiled = self._compiled.get(using)
        if compiled is not None:
            return compiled
        with self._lock:
            stand_ins = self._stand_ins()
            queryset = self.build(**stand_ins)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            connection = connections[using]
            params = list(params)
            slots = []
            for name, value in stand_ins.items():
                marker = _adapt(connection, value)
                positions = [position for position, param in enumerate(params) if param == marker]
                if not positions:
                    raise ImproperlyConfigured(f"{name!r} is not a parameter of the prepared query: {sql}")
                slots.extend((position, name) for position in positions)
            fields = [column[0] for column in compiler.select[: compiler.col_count]]
            compiled = {
                "sql": sql,
                "params": params,
                "slots": slots,
                "compiler": compiler,
                "converters": compiler.get_converters(fields),
            }
            self._compiled[using] = compiled
            return compiled

    def rows(self, **values):
        """The result rows (lists, converted as Django converts them) and the database they came from."""
        using = router.db_for_read(self.model)
        compiled = self._compile(using)
        connection = connections[using]
        params = list(compiled["params"])
        for position, name in compiled["slots"]:
            params[position] = _adapt(connection, values[name])
        with connection.cursor() as cursor:
            cursor.execute(compiled["sql"], params)
            rows = cursor.fetchall()
        if compiled["converters"]:
            rows = compiled["compiler"].apply_converters(rows, compiled["converters"])
        return [list(row) for row in rows], using

    def instances(self, **values):
        """The rows as model instances, with what select_related() and annotate() add, as Django does."""
        rows, using = self.rows(**values)
        compiler = self._compiled[using]["compiler"]
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        attnames = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        annotations = compiler.annotation_col_map or {}
        found = []
        for row in rows:
            obj = klass_info["model"].from_db(using, attnames, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def forget(self):
        """Compile again on next use (after the registrations its build reads changed)."""
        self._compiled = {}


def _adapt(connection, value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
