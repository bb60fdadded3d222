"""The organisation department's API tokens on its own page: the list, issuing one (the key is shown once, in the
answer to that POST, never stored), and revoking one after a confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from departments import access

from .. import services
from ..forms import TokenForm
from ..models import ApiToken


def _listing(form, **extra):
    tokens = ApiToken.objects.select_related("user").order_by("-active", "-created_at", "-pk")
    return {"tokens": tokens, "form": form, **extra}


@login_required
@access.required(access.manages_api_tokens, services.TOKENS_REFUSED)
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request):
    """GET: the tokens and the form to issue one. POST: issue it and show its key, once."""
    if request.method != "POST":
        return render(request, "assessments/tokens.html", _listing(TokenForm()))
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "assessments/tokens.html", _listing(form), status=400)
    key = services.issue_own_token(request.user, form.cleaned_data["name"])
    messages.success(request, f"已生成令牌“{form.cleaned_data['name']}”。请立即复制保存：离开本页后无法再次查看。")
    response = render(request, "assessments/tokens.html", _listing(TokenForm(), key=key))
    add_never_cache_headers(response)
    return response


@login_required
@access.required(access.manages_api_tokens, services.TOKENS_REFUSED)
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request, pk):
    """GET asks to confirm; POST revokes: the token stops working at once, and stays listed as 已吊销."""
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if request.method == "POST":
        if services.revoke_token(request.user, token):
            messages.success(request, f"已吊销令牌“{token.name}”：使用它的系统将无法再读取数据。")
        else:
            messages.info(request, f"令牌“{token.name}”此前已吊销。")
        return redirect("assessments:tokens")
    return render(request, "assessments/token_revoke.html", {"token": token})
