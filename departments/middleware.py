"""A person whose password was generated or reset by someone else chooses their own before anything else."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "taskboard.must_change_password"


class PasswordChangeRequiredMiddleware:
    """Every page but the password change itself and logging out leads to the password change form."""

    ALLOWED = ("password_change", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(SESSION_KEY) and request.user.is_authenticated:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(("/static/", "/media/")):
                messages.warning(request, "请先设置您自己的密码：当前密码是导入时设定或由他人重置的。")
                return redirect("password_change")
        return self.get_response(request)
