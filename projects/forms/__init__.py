from .chain import (
    ImpactForm,
    IndicatorForm,
    ProjectForm,
    TaskForm,
    VersionedForm,
)

__all__ = ["ImpactForm", "IndicatorForm", "ProjectForm", "TaskForm", "VersionedForm"]
