from .chain import (
    ImpactForm,
    IndicatorForm,
    ProjectForm,
    RoleForm,
    TaskForm,
    VersionedForm,
)

__all__ = ["ImpactForm", "IndicatorForm", "ProjectForm", "RoleForm", "TaskForm", "VersionedForm"]
