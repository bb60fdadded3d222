"""COPY through Django's connection: seen by the execute wrappers and the query log as one query, in and out.

PostgreSQL only (COPY).
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from notices.models import Delivery, Notice
from notices.services.planning import DELIVERY_FIELDS
from notices.services.rows import append_rows
from outputs.pgcopy import copy_in, copy_out_csv

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]


@pytest.fixture
def notice():
    return Notice.objects.create(kind=Notice.Kind.CIRCULAR, title="通报", recipients_planned=True)


@pytest.fixture
def people():
    return [get_user_model().objects.create_user(f"person{n}") for n in range(3)]


def test_copy_in_and_out_are_one_wrapped_query_each(notice, people):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql.split()[0])
        return execute(sql, params, many, context)

    rows = [(notice.pk, person.pk, "in_app", "pending", 0, "") for person in people]
    with connection.execute_wrapper(wrapper), CaptureQueriesContext(connection) as log:
        copy_in(
            Delivery._meta.db_table, ["notice_id", "recipient_id", "channel", "status", "attempts", "last_error"], rows
        )
        text = copy_out_csv("SELECT recipient_id FROM notices_delivery WHERE notice_id = %s ORDER BY 1", [notice.pk])
    assert seen == ["COPY", "COPY"]
    assert [query["sql"].split()[0] for query in log.captured_queries] == ["COPY", "COPY"]
    assert text.decode().split() == [str(person.pk) for person in people]


def test_append_rows_refuses_a_row_that_is_already_there(notice, people):
    """The deliveries' COPY has no ON CONFLICT: a second copy of a row is an error that rolls the writer back,
    never a silent duplicate (the outbox's unique key holds)."""
    rows = [(notice.pk, people[0].pk, "email", "pending", 0, "")]
    append_rows(Delivery, DELIVERY_FIELDS, rows)
    with pytest.raises(IntegrityError), transaction.atomic():
        append_rows(Delivery, DELIVERY_FIELDS, rows)
    assert Delivery.objects.filter(notice=notice).count() == 1
