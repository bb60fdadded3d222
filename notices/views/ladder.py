"""The escalation ladder (催办阶梯), kept by the government office on its own page: the rungs, a form to add or edit
one, removing one (after a confirmation), and a preview of who the sweep would tell what tomorrow."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from departments import access

from ..forms import RungForm
from ..models import Notice, Rung
from ..reads import ladder_preview
from ..services import remove_rung, save_rung

REFUSED = "只有县政府办公室可以维护催办阶梯，如需调整请联系县政府办公室。"


@login_required
@access.required(access.maintains_ladder, REFUSED)
@require_safe
def ladder(request):
    """The rungs (both ladders, in the sweep's order) and tomorrow's preview."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    rungs = Rung.objects.order_by("applies_to", "offset_days", "pk")
    context = {"rungs": rungs, "tomorrow": tomorrow, "preview": ladder_preview(tomorrow), "active": "ladder"}
    return render(request, "notices/ladder.html", context)


@login_required
@access.required(access.maintains_ladder, REFUSED)
@require_http_methods(["GET", "HEAD", "POST"])
def rung_form(request, pk=None):
    """Add a rung (no ``pk``) or edit one; a refused form is shown again with its errors (status 400)."""
    rung = get_object_or_404(Rung, pk=pk) if pk is not None else None
    form = RungForm(request.POST if request.method == "POST" else None, instance=rung)
    if request.method == "POST":
        if form.is_valid():
            saved = save_rung(request.user, form)
            messages.success(request, f"已保存催办阶梯“{saved.name}”。")
            return redirect("notices:ladder")
        return render(request, "notices/rung_form.html", {"form": form, "rung": rung}, status=400)
    return render(request, "notices/rung_form.html", {"form": form, "rung": rung})


@login_required
@access.required(access.maintains_ladder, REFUSED)
@require_http_methods(["GET", "HEAD", "POST"])
def rung_delete(request, pk):
    """GET asks to confirm; POST deletes the rung, or switches it off if it has already sent notices."""
    rung = get_object_or_404(Rung, pk=pk)
    if request.method == "POST":
        outcome = remove_rung(request.user, rung)
        if outcome == "deleted":
            messages.success(request, f"已删除催办阶梯“{rung.name}”。")
        else:
            messages.success(request, f"催办阶梯“{rung.name}”已发出过通知，已停用而未删除（记录保留）。")
        return redirect("notices:ladder")
    has_sent = Notice.objects.filter(rung=rung).exists()
    return render(request, "notices/rung_delete.html", {"rung": rung, "has_sent": has_sent})
