"""Logging in (with the plan's county in the heading) and changing one's own password."""

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from departments.middleware import SESSION_KEY
from departments.services import password_changed
from workflows.models import Plan


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        plan = Plan.objects.current()
        return {**super().get_context_data(**kwargs), "county": plan.county_name if plan else ""}


class CountedPasswordChangeForm(PasswordChangeForm):
    """The old password is checked through ``authenticate()``, like a login: django-axes counts a wrong one against
    the person and the address (and locks them at the limit), and the audit trail records the failure. Someone
    holding a stolen session cannot guess the password they would change."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old_password) is None:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any signed-in person changes their own password (the old one first; the validators of settings)."""

    form_class = CountedPasswordChangeForm
    success_url = reverse_lazy("home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(self.request.user)
        self.request.session.pop(SESSION_KEY, None)
        messages.success(self.request, "密码已修改。")
        return response
