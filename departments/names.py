"""How people are named on screen, in messages and in exports: the one place a person's name is put together.

Chinese names are family name (姓, Django's ``last_name``) then given name (名, ``first_name``), with no space:
张 + 伟 is "张伟". Django's ``User.get_full_name`` gives "first last" ("伟 张"); ``use_chinese_order`` (called once,
by departments.apps) makes it give ``full_name`` instead, so every template, the admin's lists and the libraries'
pages that call it show the same name as Taskboard's own code. A name written wholly in Latin letters keeps its
Western order ("John Smith").
"""


def full_name(user):
    """姓名 without a space ("张伟"); "first last" when both parts are Latin; "" when neither is set."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last and first.isascii() and last.isascii():
        return f"{first} {last}"
    return f"{last}{first}"


def display_name(user, empty="—"):
    """A user's full name, else their username; ``empty`` when there is no user (e.g. the system)."""
    if user is None:
        return empty
    return full_name(user) or user.get_username()


def use_chinese_order(user_model):
    """Make ``user_model.get_full_name`` (Django's: "first last") give ``full_name``."""

    def get_full_name(self):
        return full_name(self)

    get_full_name.__doc__ = full_name.__doc__
    user_model.get_full_name = get_full_name
