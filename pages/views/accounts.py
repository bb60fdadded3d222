"""Logging in (with the plan's county in the heading) and changing one's own password."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from departments.middleware import SESSION_KEY
from departments.services import password_changed
from workflows.models import Plan


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        plan = Plan.objects.current()
        return {**super().get_context_data(**kwargs), "county": plan.county_name if plan else ""}


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any signed-in person changes their own password (the old one first; the validators of settings)."""

    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(self.request.user)
        self.request.session.pop(SESSION_KEY, None)
        messages.success(self.request, "密码已修改。")
        return response
