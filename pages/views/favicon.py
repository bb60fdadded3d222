"""``/favicon.ico``, which browsers ask for on every page whatever the page links: the static icon.

static/favicon.svg (for ``<link rel="icon">``) and static/favicon.ico (16, 32 and 48 px) are the same mark.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def favicon(request):
    return redirect(static("favicon.ico"), permanent=True)
