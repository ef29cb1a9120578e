"""Reads of more than one query. One module per part of the project record."""

from .chain import (
    ChainGaps,
    HistoryEntry,
    chain_gaps,
    project_chain,
    project_history,
    project_people,
)

__all__ = [
    "ChainGaps",
    "HistoryEntry",
    "chain_gaps",
    "project_chain",
    "project_history",
    "project_people",
]
