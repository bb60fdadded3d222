"""A unit person's password reset by the plan office or an administrator: shown once, in the answer to the POST."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from .. import access
from ..http import post_only
from ..names import display_name
from ..services import reset_password


@login_required
@post_only("unit_list")
@access.required(access.can_import_people, "只有领导小组办公室和系统管理员可以重置密码。")
def reset_person_password(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    password = reset_password(request.user, person)  # refuses staff and cross-unit accounts (403)
    messages.success(request, f"已为{display_name(person)}重置密码。请把新密码转交本人：登录后须立即修改。")
    units = [membership.unit for membership in person.memberships.select_related("unit").order_by("unit__name")]
    response = render(
        request, "departments/password_reset.html", {"person": person, "password": password, "units": units}
    )
    add_never_cache_headers(response)
    return response
