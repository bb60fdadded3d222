"""What templates may ask about the person: ``can.<capability>``, answered by ``departments.access``."""

from . import access

# Template name -> predicate. Menus and links show each person what they may do; the views check again.
CAPABILITIES = {
    "see_every_unit": access.sees_every_unit,
    "see_every_item": access.sees_every_item,
    "supervise": access.is_office,
    "maintain_ladder": access.maintains_ladder,
    "open_cycles": access.can_open_cycles,
    "see_plan_progress": access.sees_plan_progress,
    "inspect": access.can_inspect,
    "import_units": access.can_import_units,
    "import_people": access.can_import_people,
    "use_admin": access.uses_admin,
    "read_audit_trail": access.reads_audit_trail,
    "see_every_school": access.sees_every_school,
    "import_school_figures": access.can_import_school_figures,
    "edit_school_figures": access.can_edit_school_figures,
    "raise_shortfalls": access.can_raise_shortfalls,
    "see_every_rectification": access.sees_every_rectification,
    "enter_every_county_figure": access.enters_every_county_figure,
    "read_self_evaluation_reports": access.reads_self_evaluation_reports,
    "generate_self_evaluation_report": access.can_generate_self_evaluation_report,
    "manage_assessment": access.manages_assessment,
    "manage_api_tokens": access.manages_api_tokens,
    "see_every_assessment_result": access.sees_every_assessment_result,
}


class Abilities:
    """``can.inspect`` and the like, each worked out on first use in the page."""

    def __init__(self, user):
        self._user = user
        self._answers = {}

    def __getattr__(self, name):
        if name.startswith("_") or name not in CAPABILITIES:
            raise AttributeError(name)
        if name not in self._answers:
            self._answers[name] = CAPABILITIES[name](self._user)
        return self._answers[name]


def abilities(request):
    return {"can": Abilities(getattr(request, "user", None))}
