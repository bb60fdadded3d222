"""Forms of the composed pages: the unit list's filters."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from departments.models import Unit


class UnitFilterForm(forms.Form):
    """The unit list's filters: a kind and part of the name. Bad values are dropped (the whole list is shown)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Unit.Kind.choices], required=False)
    q = forms.CharField(label=_("Name contains"), max_length=100, required=False, strip=True)

    def filter(self, units):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kind"):
            units = units.filter(kind=data["kind"])
        if data.get("q"):
            units = units.filter(Q(name__icontains=data["q"]) | Q(short_name__icontains=data["q"]))
        return units
