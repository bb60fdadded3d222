"""Who sees what (plan section 四(四)): the organisation department and the government office see every
unit's result; a unit's own people see their unit's published results; nobody else sees any."""

from django.core.exceptions import PermissionDenied

from departments.models import Unit

from ..models import AssessmentRun

MANAGE = "assessments.manage_assessment"
VIEW_ALL = "assessments.view_assessmentrun"


def is_manager(user):
    return user.has_perm(MANAGE)


def sees_all(user):
    return user.has_perm(VIEW_ALL)


def require_manager(user):
    if not is_manager(user):
        raise PermissionDenied("只有县委组织部（考核办）可以修改评分办法、计算和发布考核。")


def own_unit_ids(user):
    """The units whose results this person may see as one of their people (liaison, leader, head)."""
    if not user.is_authenticated:
        return set()
    return set(Unit.objects.with_object_permission(user, "view_unit").values_list("pk", flat=True))


def runs_for(user):
    """Runs a person may open: every run for managers, published and superseded ones for the other readers."""
    runs = AssessmentRun.objects.all()
    if is_manager(user):
        return runs
    if sees_all(user):
        return runs.exclude(status=AssessmentRun.Status.DRAFT)
    return runs.none()


def may_see_unit(user, run, unit_id):
    if runs_for(user).filter(pk=run.pk).exists():
        return True
    return run.status != AssessmentRun.Status.DRAFT and unit_id in own_unit_ids(user)
