"""``in`` on integer fields ignores values the database column cannot hold.

Django (5.2) already answers ``exact``, ``gt``, ``lt``… with an out-of-range integer by matching nothing, but not
``in``: a posted id of 99999999999999999999 in a multiple-choice field (``pk__in``) reached the database and
failed (SQLite's OverflowError, PostgreSQL's "out of range for type bigint"), an HTTP 500 instead of the form's
"not a valid choice". No row can have such a value, so leaving it out changes no answer. Registered on
``IntegerField`` (auto and big fields inherit it) when departments is ready.
"""

from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


def _in_range(values, connection, field):
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return [
        value
        for value in values
        if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
    ]


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            self.rhs = _in_range(self.rhs, connection, self.lhs.output_field)
        return super().process_rhs(compiler, connection)


class RelatedFieldIn(RelatedIn):
    """The same for a relation's ``in`` (``pk__in`` of a multi-table child such as a duty item, ``unit__in``)."""

    def process_rhs(self, compiler, connection):
        target = getattr(self.lhs.output_field, "target_field", None)
        if self.rhs_is_direct_value() and isinstance(target, IntegerField):
            self.rhs = _in_range(self.rhs, connection, target)
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(RelatedFieldIn)
