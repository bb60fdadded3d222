"""Units of the county government and the people who act for them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..names import display_name
from ..querysets import MembershipQuerySet, UnitQuerySet


class Unit(models.Model):
    """A unit of the leadership group, a township, a school, or a collective of units.

    A *collective* (Annex 2's 各乡镇（街道）) owns duties on behalf of its member
    units: the real townships and streets, listed in ``member_units``.
    """

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party committee department")
        GOVERNMENT_DEPARTMENT = "government_department", _("Government department")
        GOVERNMENT_OFFICE = "government_office", _("Government office")
        SUPERVISION_OFFICE = "supervision_office", _("Education supervision office")
        EDUCATION_COMMISSION = "education_commission", _("Education commission")
        TOWNSHIP = "township", _("Township or street")
        SCHOOL = "school", _("School")
        PEOPLES_ORGANISATION = "peoples_organisation", _("People's organisation")
        COLLECTIVE = "collective", _("Collective of units")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("For a school, the township or street it lies in."),
    )
    member_units = models.ManyToManyField(
        "self",
        verbose_name=_("member units"),
        symmetrical=False,
        blank=True,
        related_name="collectives",
        help_text=_("For a collective: the real units that each carry its duties."),
    )
    in_leadership_group = models.BooleanField(_("member of the leadership group"), default=False)
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Created by the demo data; replace with the real units.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "name"]
        permissions = [
            ("act_for_unit", _("Can act for the unit (report its duties)")),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("unit_detail", args=[self.pk])

    @property
    def is_collective(self):
        return self.kind == self.Kind.COLLECTIVE


class Membership(models.Model):
    """A person's place in a unit. Object permissions on the unit follow from it."""

    class Role(models.TextChoices):
        LIAISON = "liaison", _("Liaison")
        LEADER = "leader", _("Unit leader in charge")
        HEAD = "head", _("Head of unit")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__name", "role", "user__username"]
        permissions = [("manage_people", _("Can import people and reset a unit person's password"))]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership_role"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_role_display()} · {display_name(self.user)}"
