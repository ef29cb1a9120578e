"""Moving a whole project to another installation of Totem: one JSON file, and back.

`project_export(project) -> dict` and `project_import(data) -> Project`; `dumps(data)` writes
the file and `project_file_load(raw)` reads one (refusing what is not one, plainly). The
`export_project` and `import_project` commands and the lead's download button
(`project-export`) call these. It lives in `totem/` because it composes every app.

The file (format "totem-project", version 1) holds no database ids. Rows refer to each other
by their place in the file, counted from 0: a task by its place in "tasks" (`3`), an impact by
[task, impact] (`[3, 1]`), an indicator by [task, impact, indicator] (`[3, 1, 0]`), a design
principle, checklist template, item of a template or pack by its place in its list.
Organisations are named by name, people by username, checklist templates by slug and version.
Dates and times are ISO 8601 (times in UTC, to the microsecond), decimals are text.

    format, version
    organisations   [{name, short_name}]
    people          [{username, first_name, last_name, email}]
    project         {title, purpose, scope, stage, archived_at, created_at, updated_at,
                     lead_organisation, partner_organisations}
    roles           [{user, role}]
    tasks           [{…, impacts: [{…, indicators: [{…, measurements: [{…, recorded_by,
                     recorded_at}], change_points}]}]}]
    objectives (indicator), baseline, principles, scenarios (scores: [{principle, score}]),
    ideas (created_by, task), risks, dependencies, comments (author, created_at, and the task,
    impact or indicator it is on)
    checklist_templates [{slug, version, name, description, items}]
    checklists      [{title, template, created_by, created_at, responses: [{item, …}]}]
    packs           [{kind, version, sha256, …, pdf (base64)}]: the packs decisions were made on
    decisions       [{pack, outcome, …, pack_sha256, recorded_by, recorded_at}]

What an import does:
- Everything or nothing, in one transaction; every row is validated with full_clean. A file
  of another format or version, a missing key, a value of the wrong type or a reference to
  something not in the file is refused with a TransferError (a ValueError) that names the
  place in the file.
- Organisations are found by name, or created. People are found by username; someone unknown
  here becomes an inactive account with no usable password, so that authorship and roles
  survive and an administrator can later activate the account (or leave it as a name).
  Memberships of organisations are not carried: who belongs to an organisation is decided in
  each installation.
- Timestamps (created, updated, recorded, comment and decision times) are kept exactly.
  Version counters start again at 1: they guard against stale edits in one database only.
  Pack versions are kept, because they are the versions the board saw.
- A checklist template version is linked to one here with the same slug, name, description
  and items (published or retired); otherwise the file's copy is made here as a retired
  version, which checklists point at but nobody is offered for a new checklist.
- Each decision's PDF is checked against its SHA-256 (and the decision's copy of it) before
  anything is written: a PDF changed after the export is refused.

What is not carried, and why:
- History (django-simple-history) and deleted rows: an import is the start of the project's
  history in the new installation; each imported row's first history entry says so. The
  measurements are their current values only.
- A dependency linked to another project of the old installation becomes that project's
  title, as for a project outside Totem: the other project is not in the file.
- Packs no decision was made on (they are made again on request), who last visited the
  project (the "changed since your last visit" marks of another installation), and
  self-assessment rounds: they belong to an organisation, score it as a whole and may concern
  several projects, so they are moved (or not) by the organisations, not with one project.
"""

import json

from .exporting import project_export
from .importing import ImportReport, project_file_load, project_import
from .schema import FORMAT, VERSION, TransferError


def dumps(data: dict) -> str:
    """The file's text: UTF-8 JSON, keys in the order the format lists them."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


__all__ = [
    "FORMAT",
    "VERSION",
    "ImportReport",
    "TransferError",
    "dumps",
    "project_export",
    "project_file_load",
    "project_import",
]
