"""Reads about packs and decisions."""

from dataclasses import dataclass

from projects.models import Project

from ..models import Decision, Pack
from . import services


@dataclass(frozen=True)
class PackState:
    """Where a project's governors' pack stands against the project as it is now."""

    current: Pack | None  # the pack of the project's current content, if it was asked for
    latest_ready: Pack | None
    versions: list[Pack]  # every ready version, newest first

    @property
    def up_to_date(self) -> bool:
        return self.current is not None and self.current.is_ready

    @property
    def next_version(self) -> int:
        return (self.versions[0].version if self.versions else 0) + 1


def project_pack_state(project: Project) -> PackState:
    content = services.content_for(Pack.Kind.PROJECT, project=project)
    packs = list(Pack.objects.filter(project=project, kind=Pack.Kind.PROJECT).order_by("-version"))
    current = next((p for p in packs if p.fingerprint == content.fingerprint), None)
    versions = [p for p in packs if p.is_ready]
    return PackState(current, versions[0] if versions else None, versions)


def project_decisions(project: Project) -> list[Decision]:
    return list(Decision.objects.filter(project=project).select_related("pack", "recorded_by"))
