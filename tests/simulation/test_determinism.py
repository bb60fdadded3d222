"""The same seed gives the same database; the digest sees a change of one row."""

from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from simulation.digest import database_digest
from simulation.engine import simulate
from workflows.models import DutyItem

pytestmark = pytest.mark.django_db


def _run_and_digest(seed):
    """Simulate 2022 and return the digest, leaving the database as it was."""
    with transaction.atomic():
        simulate(start=date(2022, 1, 1), end=date(2022, 12, 31), seed=seed, schools=6)
        digest = database_digest()
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_digest_and_another_seed_another(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        first, again, other = _run_and_digest(11), _run_and_digest(11), _run_and_digest(12)
    assert first == again
    assert other != first


def test_the_digest_changes_with_one_row(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        simulate(start=date(2022, 1, 1), end=date(2022, 1, 31), seed=3, schools=2)
    before = database_digest()
    item = DutyItem.objects.order_by("pk").first()
    DutyItem.objects.filter(pk=item.pk).update(reworks=item.reworks + 1)
    assert database_digest() != before
