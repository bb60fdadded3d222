"""What the simulated people do on a working day, each through the services the web's pages call.

Units (their liaisons) sign for assigned items or hand them back, ask for extensions a week before a deadline,
and submit reports with a small evidence file, each as their profile draws it. Inspectors look at submissions
from the day after and accept or return them. Every decision is drawn from the seed (``profiles.draw``).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Exists, OuterRef
from django.utils import timezone

from workflows import services
from workflows.models import DutyItem, ExtensionRequest, HandBack, ItemEvent

from .profiles import DILIGENT, draw

Stage = DutyItem.Stage
# A one-page PDF: what a liaison's scanned 工作台账 is to the evidence checks (they sniff the content).
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
HAND_BACK_REASON = "经核实，该项工作主要职责不在本单位，请县政府办公室重新明确承办单位。"
EXTENSION_REASON = "涉及多部门协调和现场核查，工作量较大，申请适当延期。"
RETURN_REASONS = ("佐证材料不全，请补充工作台账和相关文件。", "完成情况与任务要求不符，请整改后重新报送。")


@dataclass(frozen=True)
class OpenItem:
    """What an actor reads to decide about an item (a row, not a model: the day's list is read every day)."""

    pk: int
    key: str
    stage: str
    unit_id: int
    unit_name: str
    deadline: object
    reworks: int
    submitted_at: object
    urged: bool
    handed_back: bool
    asked_extension: bool


def open_items(stages):
    """The open items at ``stages`` with what the actors need to decide (one query)."""
    rows = (
        DutyItem.objects.filter(stage__in=stages)
        .annotate(
            urged=Exists(ItemEvent.objects.filter(item=OuterRef("pk"), kind=ItemEvent.Kind.URGED)),
            handed_back=Exists(HandBack.objects.filter(item=OuterRef("pk"))),
            asked_extension=Exists(ExtensionRequest.objects.filter(item=OuterRef("pk"))),
        )
        .order_by("deadline", "pk")
        .values_list(
            "pk",
            "template__place",
            "title",
            "period__label",
            "occurrence",
            "kind",
            "stage",
            "unit_id",
            "unit__name",
            "deadline",
            "reworks",
            "submitted_at",
            "urged",
            "handed_back",
            "asked_extension",
        )
    )
    for pk, place, title, period, occurrence, kind, stage, unit_id, unit_name, *rest in rows:
        key = f"{period or ''}|{place or title}|{unit_name}|{occurrence}|{kind}"
        yield OpenItem(pk, key, stage, unit_id, unit_name, *rest)


def _model(row):
    """The item itself, for the service that acts on it (the service locks and re-reads it)."""
    return DutyItem.objects.select_related("unit").get(pk=row.pk)


class Units:
    def __init__(self, seed, cast, profiles, counts):
        self.seed, self.cast, self.profiles, self.counts = seed, cast, profiles, counts

    def act(self, day):
        for item in list(open_items([Stage.SIGNING, Stage.REPORTING])):
            liaison = self.cast.liaison_of(item.unit_id)
            profile = self.profiles.get(item.unit_name, DILIGENT)
            key = item.key
            if item.stage == Stage.SIGNING:
                self._sign(day, item, key, liaison, profile)
            else:
                self._report(day, item, key, liaison, profile)

    def _sign(self, day, item, key, liaison, profile):
        if draw(self.seed, key, "sign", day) >= profile.sign_chance:
            return
        if not item.handed_back and draw(self.seed, key, "hand back") < profile.hand_back_chance:
            services.hand_back_item(liaison, _model(item), reason=HAND_BACK_REASON)
            self.counts["hand-backs"] += 1
        else:
            services.sign_item(liaison, _model(item))
            self.counts["signed"] += 1

    def _report(self, day, item, key, liaison, profile):
        days_left = (item.deadline - day).days
        asks = 0 < days_left <= 10 and not item.asked_extension  # on the first working day of the deadline's last ten
        if asks and draw(self.seed, key, "extension") < profile.extension_chance:
            extra = 14 + round(30 * draw(self.seed, key, "extension days"))
            services.request_extension(
                liaison, _model(item), requested_deadline=item.deadline + timedelta(days=extra), reason=EXTENSION_REASON
            )
            self.counts["extension requests"] += 1
            return
        if days_left > profile.report_from + 30 * item.reworks:
            return
        if days_left < 0 and profile.waits_for_urging and not item.urged:
            return
        chance = profile.report_chance * (2 if days_left < 0 else 1) * (4 if item.reworks else 1)
        if draw(self.seed, key, "report", item.reworks, day) >= chance:
            return
        evidence = SimpleUploadedFile(f"工作台账-{day:%Y%m%d}.pdf", EVIDENCE_PDF, "application/pdf")
        text = (
            f"{item.unit_name}已按要求完成本项工作，附工作台账。"
            if not item.reworks
            else "已按检查意见整改，补充了佐证材料。"
        )
        services.submit_report(liaison, _model(item), text=text, files=[evidence])
        self.counts["reports"] += 1


class Inspectors:
    def __init__(self, seed, cast, profiles, counts):
        self.seed, self.cast, self.profiles, self.counts = seed, cast, profiles, counts

    def act(self, day):
        for item in list(open_items([Stage.INSPECTING])):
            key = item.key
            if timezone.localdate(item.submitted_at) >= day or draw(self.seed, key, "inspect", day) >= 0.4:
                continue
            profile = self.profiles.get(item.unit_name, DILIGENT)
            if draw(self.seed, key, "verdict", item.reworks) < profile.return_chance * 0.5**item.reworks:
                reasons = RETURN_REASONS[item.reworks % len(RETURN_REASONS)]
                new_deadline = day + timedelta(days=15)
                services.inspect_item(
                    self.cast.inspector, _model(item), accepted=False, reasons=reasons, new_deadline=new_deadline
                )
                self.counts["returned"] += 1
            else:
                services.inspect_item(self.cast.inspector, _model(item), accepted=True, reasons="材料齐全，符合要求。")
                self.counts["accepted"] += 1
