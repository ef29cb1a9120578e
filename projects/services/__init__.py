"""Every write. One module per part of the project record; the chain's are re-exported here."""

from .chain import (
    ConflictError,
    chain_item_delete,
    chain_item_move,
    chain_item_update,
    claim_version,
    impact_create,
    indicator_create,
    project_archive,
    project_create,
    project_fill_from_starter,
    project_restore,
    project_role_remove,
    project_role_set,
    project_update,
    task_create,
)

__all__ = [
    "ConflictError",
    "chain_item_delete",
    "chain_item_move",
    "chain_item_update",
    "claim_version",
    "impact_create",
    "indicator_create",
    "project_archive",
    "project_create",
    "project_fill_from_starter",
    "project_restore",
    "project_role_remove",
    "project_role_set",
    "project_update",
    "task_create",
]
