"""Runs: computed as drafts, recomputed at will, published once, then frozen and only ever superseded."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments import access

from ..computation.facts import read_facts
from ..computation.parameters import Parameters
from ..computation.scoring import score
from ..models import AssessmentRun, ScoreLine, ScoringScheme, UnitScore
from .storage import save_lines

MANAGERS_ONLY = "只有县委组织部（考核办）可以修改评分办法、计算和发布考核。"


class RunFrozen(ValidationError):
    pass


def scheme_for(year, by=None):
    """The year's scheme, created with the documented defaults the first time it is asked for."""
    scheme, _created = ScoringScheme.objects.get_or_create(year=year, defaults={"updated_by": by})
    return scheme


def default_as_of(year, today=None):
    today = today or timezone.localdate()
    return min(today, datetime.date(year, 12, 31))


def _check_as_of(year, as_of):
    if as_of.year != year:
        raise ValidationError(f"截止日期必须在{year}年内。", code="as_of")
    if as_of > timezone.localdate():
        raise ValidationError("截止日期不能晚于今天。", code="as_of")


@transaction.atomic
def start_run(by, year, as_of=None):
    """Open the year's draft (or return the one already open) and compute it."""
    access.require(access.manages_assessment(by), MANAGERS_ONLY)
    as_of = as_of or default_as_of(year)
    _check_as_of(year, as_of)
    scheme_for(year, by)
    # The scheme row is the year's lock: two first runs at once would both create a draft, and a scheme edit
    # waits until the computation that reads it is done.
    scheme = ScoringScheme.objects.select_for_update().get(year=year)
    draft = AssessmentRun.objects.select_for_update().filter(year=year, status=AssessmentRun.Status.DRAFT).first()
    if draft is None:
        draft = AssessmentRun.objects.create(scheme=scheme, year=year, as_of=as_of, created_by=by)
    else:
        draft.as_of = as_of
    return _compute(draft)


@transaction.atomic
def recompute(by, run):
    """Compute a draft again from the items and the scheme as they are now. The same inputs give the same rows."""
    access.require(access.manages_assessment(by), MANAGERS_ONLY)
    run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_draft:
        raise RunFrozen("已发布的考核结果不能重新计算；请新建一次考核。", code="frozen")
    return _compute(run)


def _records(frame):
    """Rows as dicts, with pandas' missing values (NaN) as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _delete_results(run):
    """A draft's scores and lines, in two plain DELETEs. (Filtering lines by ``score__run`` makes Django write
    ``id IN (SELECT … JOIN …)``, which PostgreSQL can plan badly for a table that just grew by 100,000s of rows.)"""
    score_ids = list(UnitScore.objects.filter(run=run).values_list("pk", flat=True))
    ScoreLine.objects.filter(score_id__in=score_ids).delete()
    UnitScore.objects.filter(pk__in=score_ids).delete()


def _compute(run):
    parameters = Parameters.of(run.scheme)
    result = score(read_facts(parameters, run.year, run.as_of), parameters, run.as_of)
    _delete_results(run)
    saved = UnitScore.objects.bulk_create([UnitScore(run=run, **row) for row in _records(result.scores)])
    save_lines(result.lines, {unit_score.unit_id: unit_score.pk for unit_score in saved})
    run.parameters = parameters.to_json()
    run.monthly_overdue = result.monthly_overdue
    run.computed_at = timezone.now()
    run.save(update_fields=["as_of", "parameters", "monthly_overdue", "computed_at"])
    return run


@transaction.atomic
def publish(by, run, computed_at=None):
    """Freeze the draft; the year's previously published run, if any, becomes superseded (and is kept).

    ``computed_at``: the computation the publisher reviewed; if the draft was computed again since, nothing
    is published (what would be frozen is not what was read)."""
    access.require(access.manages_assessment(by), MANAGERS_ONLY)
    run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_draft:
        raise RunFrozen("这次考核已经发布，不能再次发布。", code="frozen")
    if computed_at is not None and run.computed_at != computed_at:
        raise ValidationError("草稿已被重新计算，请核对新的结果后再发布。", code="recomputed")
    if run.computed_at is None:
        raise ValidationError("考核尚未计算，不能发布。", code="not_computed")
    previous = AssessmentRun.objects.select_for_update().filter(year=run.year, status=AssessmentRun.Status.PUBLISHED)
    previous = previous.first()
    if previous is not None:
        previous.status = AssessmentRun.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    run.status, run.supersedes = AssessmentRun.Status.PUBLISHED, previous
    run.published_by, run.published_at = by, timezone.now()
    run.save(update_fields=["status", "supersedes", "published_by", "published_at"])
    return run
