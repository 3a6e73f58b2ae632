"""What an import did, item by item: created, updated, unchanged or refused (and why)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ACTIONS = ("created", "updated", "unchanged", "refused")
ACTION_LABELS = {"created": _("created"), "updated": _("updated"), "unchanged": _("unchanged"), "refused": _("refused")}


@dataclass
class ReportLine:
    action: str
    kind: str
    label: str
    reason: str = ""

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportReport:
    """Lines in import order; ``pages`` maps each source page key to the local page."""

    lines: list[ReportLine] = field(default_factory=list)
    pages: dict = field(default_factory=dict)
    program: object = None

    def add(self, action, kind, label, reason=""):
        self.lines.append(ReportLine(action, kind, str(label), str(reason)))

    def created(self, kind, label, reason=""):
        self.add("created", kind, label, reason)

    def updated(self, kind, label, reason=""):
        self.add("updated", kind, label, reason)

    def unchanged(self, kind, label, reason=""):
        self.add("unchanged", kind, label, reason)

    def refused(self, kind, label, reason=""):
        self.add("refused", kind, label, reason)

    @property
    def counts(self) -> dict:
        return {action: sum(1 for line in self.lines if line.action == action) for action in ACTIONS}

    def of(self, action) -> list[ReportLine]:
        return [line for line in self.lines if line.action == action]

    def summary(self) -> str:
        return ", ".join(f"{action} {count}" for action, count in self.counts.items())
