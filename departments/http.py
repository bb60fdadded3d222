"""POST-only endpoints that answer a GET with the page they belong to (post/redirect/get).

A form that fails re-renders at its POST address (the item's steps, the board's bulk form, the urging forms);
reloading that address from the address bar, following a pasted link or going back in the history sends a GET.
Django's ``require_POST`` answers it with an empty 405, which a browser shows as its own English "HTTP ERROR 405".
``post_only`` answers it with a redirect to the page the form lives on instead. The page checks access as usual, and
the redirect names nothing the address did not already name. Any method other than GET, HEAD and POST still gets a
405 (in Chinese: ``pages.errors``).

    @login_required
    @post_only("workflows:item_detail", kwargs=["pk"])
    def item_report(request, pk): ...

tests/project/test_no_bare_405.py walks the URL map and GETs every POST-only view, so a new one cannot be forgotten.
"""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse

READ_METHODS = ("GET", "HEAD")


def post_only(redirect_to, *, kwargs=()):
    """Let only POST through to the view; GET and HEAD go to ``redirect_to``.

    ``redirect_to`` is a URL name, reversed with those of the view's own arguments named in ``kwargs`` (e.g. the
    item's ``pk``), or a callable ``(request, **view_kwargs) -> URL``.
    """

    def target(request, view_kwargs):
        if callable(redirect_to):
            return redirect_to(request, **view_kwargs)
        return reverse(redirect_to, kwargs={name: view_kwargs[name] for name in kwargs})

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **view_kwargs):
            if request.method in READ_METHODS:
                return redirect(target(request, view_kwargs))
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **view_kwargs)

        wrapped.allowed_methods = ("POST",)
        return wrapped

    return decorator
