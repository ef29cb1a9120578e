"""A project file back into a project of this installation: see the package's docstring."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from simple_history.utils import bulk_create_with_history

from assessments.models import ChecklistTemplate, TemplateStatus
from projects.models import Organisation, Project, ProjectRole
from projects.services.spc_state import indicators_spc_refresh

from ..models import Pack
from . import schema as s
from .schema import TransferError

IMPORTED = "Imported from a project file"
HEX_SHA256 = re.compile(r"[0-9a-f]{64}")

OrganisationResolver = Callable[[str, str], Organisation]


@dataclass
class ImportReport:
    """What an import made and what it found already here; set on the project it returns."""

    counts: Counter = field(default_factory=Counter)  # plural of a kind -> rows made
    organisations_created: list[str] = field(default_factory=list)
    organisations_found: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)  # inactive, no usable password
    people_found: list[str] = field(default_factory=list)
    templates_created: list[str] = field(default_factory=list)
    templates_found: list[str] = field(default_factory=list)


MAX_DEPTH = 32  # a project file nests about eight deep
MAX_NUMBER_DIGITS = 40


def project_file_load(raw: bytes) -> dict:
    """The parsed project file, or TransferError saying plainly why it is not one: not UTF-8
    JSON, nested absurdly deep, numbers of thousands of digits, NaN or Infinity."""

    def whole(text: str) -> int:
        if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
            raise _Refused(f"it holds a number of {len(text.lstrip('-')):,} digits (numbers in a "
                           f"project file have at most {MAX_NUMBER_DIGITS})")
        return int(text)

    def decimal(text: str) -> float:
        number = float(text)
        if len(text) > MAX_NUMBER_DIGITS * 2 or number in (float("inf"), float("-inf")):
            raise _Refused(f"it holds the number {text[:40]}…, which is out of range")
        return number

    def constant(name: str):
        raise _Refused(f"it holds {name}, which is not a number JSON allows")

    try:
        data = json.loads(raw, parse_int=whole, parse_float=decimal, parse_constant=constant)
    except _Refused as refused:
        raise TransferError(f"This is not a project file Totem can read: {refused}.") from None
    except RecursionError:
        raise TransferError(_too_deep()) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TransferError(f"This is not a JSON file: {error}.") from None
    except ValueError as error:  # anything else json itself refuses
        raise TransferError(f"This is not a JSON file Totem can read: {error}.") from None
    if _depth(data) > MAX_DEPTH:
        raise TransferError(_too_deep())
    return data


class _Refused(ValueError):
    pass


def _too_deep() -> str:
    return (f"This is not a project file: its lists and objects are nested more than "
            f"{MAX_DEPTH} deep (a project file nests about eight deep).")


def _depth(data) -> int:
    """How deep lists and objects nest in `data`, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


@transaction.atomic
def project_import(data, *, organisation_resolver: OrganisationResolver | None = None) -> Project:
    """Make a new project from `data` (a parsed project file), all of it or nothing.

    Organisations are found by name, or created (`organisation_resolver(name, short_name)`
    may choose otherwise, e.g. map every organisation onto one). Raises TransferError, with
    a plain message that names the place in the file, for anything it cannot import.
    The returned project carries an `import_report` (ImportReport).
    """
    _check_format(data)
    pdfs = _verified_pdfs(data)  # before anything is written
    importer = _Importer(data, pdfs, organisation_resolver)
    try:
        return importer.run()
    except BaseException:
        importer.delete_stored_files()  # the rows go with the transaction; files would not
        raise


def _check_format(data) -> None:
    if not isinstance(data, dict) or data.get("format") != s.FORMAT:
        raise TransferError("This is not a Totem project file (its \"format\" is not "
                            f"\"{s.FORMAT}\").")
    if data.get("version") != s.VERSION:
        raise TransferError(
            f"This project file is of format version {json.dumps(data.get('version'))}; this "
            f"installation of Totem reads version {s.VERSION} only."
        )


# --- reading the file: every failure names its place ---------------------------------------


def _get(data, key: str, where: str):
    if not isinstance(data, dict):
        raise TransferError(f"{where} should be an object with named values.")
    if key not in data:
        raise TransferError(f"{where} has no \"{key}\".")
    return data[key]


def _read(model, data, name: str, where: str):
    """`data[name]` as a value of `model`'s field `name`."""
    return s.from_json(model._meta.get_field(name), _get(data, name, where), f"{where}.{name}")


def _each(data, key: str, where: str) -> Iterator[tuple[dict, str]]:
    """The entries of the list `data[key]`, each with its place in the file."""
    rows = _get(data, key, where)
    if not isinstance(rows, list):
        raise TransferError(f"{where}: \"{key}\" should be a list.")
    prefix = "" if where == "the file" else f"{where}."
    for n, row in enumerate(rows):
        yield row, f"{prefix}{key}[{n}]"


def _index(data, key: str, where: str, rows: list, what: str, *, optional=False) -> int | None:
    ref = _get(data, key, where)
    if ref is None and optional:
        return None
    if type(ref) is not int or not 0 <= ref < len(rows):
        raise TransferError(
            f"{where}: \"{key}\" refers to {what} {json.dumps(ref)[:40]}, which is not in the "
            f"file (it has {len(rows)}, counted from 0)."
        )
    return ref


def _verified_pdfs(data) -> list[bytes]:
    """Each pack's PDF, decoded and checked against its SHA-256, and each decision's checksum
    checked against its pack's: a PDF changed after the export is refused."""
    pdfs, digests = [], []
    for pack, where in _each(data, "packs", "the file"):
        encoded = _get(pack, "pdf", where)
        try:
            pdf = base64.b64decode(encoded, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise TransferError(f"{where}: \"pdf\" is not a PDF in base64.") from None
        if not pdf.startswith(b"%PDF-"):
            raise TransferError(f"{where}: \"pdf\" is not a PDF.")
        digest = _get(pack, "sha256", where)
        if hashlib.sha256(pdf).hexdigest() != digest:
            raise TransferError(
                f"{where}: the PDF does not match its SHA-256 checksum, so it is not the PDF "
                "the decisions were made on (it was changed after the export). Nothing was "
                "imported."
            )
        if not HEX_SHA256.fullmatch(str(_get(pack, "fingerprint", where))):
            # It names the stored file: nothing but hex digits may reach a file name.
            raise TransferError(f"{where}.fingerprint should be a SHA-256 in hexadecimal.")
        pdfs.append(pdf)
        digests.append(digest)
    for decision, where in _each(data, "decisions", "the file"):
        pack = _index(decision, "pack", where, digests, "pack")
        if _get(decision, "pack_sha256", where) != digests[pack]:
            raise TransferError(
                f"{where}: the decision's checksum is not that of the pack it names. Nothing "
                "was imported."
            )
    return pdfs


def _plain(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


# --- writing --------------------------------------------------------------------------------


class _Importer:
    def __init__(self, data: dict, pdfs: list[bytes], resolver: OrganisationResolver | None):
        self.data = data
        self.pdfs = pdfs
        self.resolver = resolver
        self.report = ImportReport()
        self.organisations: dict[str, Organisation] = {}
        self.people: dict = {}  # username -> user
        self.stamps: dict[s.Kind, list] = defaultdict(list)
        self.stored_files: list = []
        # The chain as (task, [(impact, [(indicator, [])])]), for references by position.
        self.chain: list[tuple] = []
        self.measurements: list[tuple] = []  # (unsaved measurement, its timestamps)

    def run(self) -> Project:
        for entry, where in _each(self.data, "organisations", "the file"):
            self.organisation(entry, where)
        for entry, where in _each(self.data, "people", "the file"):
            self.person(entry, where)
        project = self.project(_get(self.data, "project", "the file"))
        self.roles(project)
        self.tasks(project)
        self.planning(project)
        self.comments(project)
        self.checklists(project)
        self.decisions(project)
        self.write_stamps()
        project.import_report = self.report
        return project

    def new(self, kind: s.Kind, data, where: str, **links):
        """A row of `kind` from `data` and `links`, validated (full_clean) and saved."""
        obj, stamps = self.build(kind, data, where, **links)
        try:
            obj.validate_constraints()
            obj.save()
        except ValidationError as error:
            raise TransferError(f"{where}: {_plain(error)}") from None
        except IntegrityError as error:
            raise TransferError(f"{where} cannot be saved: {error}") from None
        self.made(kind, obj, stamps)
        return obj

    def build(self, kind: s.Kind, data, where: str, **links) -> tuple:
        """An unsaved row, its fields validated (constraints are left to the caller), and the
        timestamps to give it once saved."""
        obj = kind.model(**links)
        for name in kind.fields:
            setattr(obj, name, _read(kind.model, data, name, where))
        stamps = {name: _read(kind.model, data, name, where) for name in kind.stamps}
        if None in stamps.values():
            raise TransferError(f"{where}: {', '.join(stamps)} should be dates and times.")
        obj._change_reason = IMPORTED  # read by django-simple-history
        # `links` are rows this import made or found (and values it sets itself): full_clean
        # would query each foreign key again to see that it exists. An empty link is kept
        # where the field may be null: a person deleted in the other installation leaves an
        # empty author, though a form would not accept one.
        for name, value in links.items():
            if value is None and not kind.model._meta.get_field(name).null:
                raise TransferError(f"{where}: \"{name}\" cannot be empty.")
        try:
            obj.full_clean(exclude=list(links), validate_constraints=False)
        except ValidationError as error:
            raise TransferError(f"{where}: {_plain(error)}") from None
        return obj, stamps

    def made(self, kind: s.Kind, obj, stamps: dict) -> None:
        if stamps:  # saving set them to now
            for name, value in stamps.items():
                setattr(obj, name, value)
            self.stamps[kind].append(obj)
        if kind.plural:
            self.report.counts[kind.plural] += 1

    def write_stamps(self) -> None:
        """Saving set every auto_now(_add) timestamp to now: put back the file's.

        One UPDATE per kind, run for all its rows: bulk_update's CASE expressions take
        seconds over a few thousand measurements, this a tenth of one. Table and column
        names come from the models; every value goes as a parameter."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for kind, rows in self.stamps.items():
                meta = kind.model._meta
                fields = [meta.get_field(name) for name in kind.stamps]
                assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
                cursor.executemany(
                    f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
                    f"WHERE {quote(meta.pk.column)} = %s",
                    [
                        [f.get_db_prep_value(getattr(row, f.attname), connection) for f in fields]
                        + [row.pk]
                        for row in rows
                    ],
                )

    def delete_stored_files(self) -> None:
        for stored in self.stored_files:
            stored.storage.delete(stored.name)

    # --- who and where ------------------------------------------------------------------------

    def organisation(self, entry, where: str) -> None:
        name = _read(Organisation, entry, "name", where)
        if self.resolver is not None:
            short_name = _get(entry, "short_name", where)
            self.organisations[name] = self.resolver(name, short_name)
            return
        found = Organisation.objects.filter(name=name).first()
        if found is not None:
            self.report.organisations_found.append(name)
        else:
            found = self.new(s.ORGANISATION, entry, where)
            self.report.organisations_created.append(name)
        self.organisations[name] = found

    def person(self, entry, where: str) -> None:
        """Linked to the account of that username here; otherwise a new account that cannot
        sign in (inactive, no usable password) keeps the authorship and roles until an
        administrator activates it."""
        username = _read(s.PERSON.model, entry, "username", where)
        found = s.PERSON.model.objects.filter(username=username).first()
        if found is not None:
            self.report.people_found.append(username)
        else:
            found = self.new(s.PERSON, entry, where, is_active=False, password=make_password(None))
            self.report.people_created.append(username)
        self.people[username] = found

    def person_ref(self, data, key: str, where: str):
        username = _get(data, key, where)
        if username is None:
            return None
        if not isinstance(username, str) or username not in self.people:
            raise TransferError(
                f"{where}: \"{key}\" refers to {json.dumps(username)[:60]}, who is not among the "
                "file's \"people\"."
            )
        return self.people[username]

    def organisation_ref(self, name, where: str) -> Organisation:
        if not isinstance(name, str) or name not in self.organisations:
            raise TransferError(
                f"{where} refers to the organisation {json.dumps(name)[:80]}, which is not among "
                "the file's \"organisations\"."
            )
        return self.organisations[name]

    # --- the project, its people and its chain ------------------------------------------------

    def project(self, entry) -> Project:
        where = "project"
        lead = self.organisation_ref(_get(entry, "lead_organisation", where),
                                     f"{where}.lead_organisation")
        partners = _get(entry, "partner_organisations", where)
        if not isinstance(partners, list):
            raise TransferError(f"{where}.partner_organisations should be a list of names.")
        partners = [
            self.organisation_ref(name, f"{where}.partner_organisations[{n}]")
            for n, name in enumerate(partners)
        ]
        project = self.new(s.PROJECT, entry, where, lead_organisation=lead)
        project.partner_organisations.set([org for org in partners if org.pk != lead.pk])
        return project

    def roles(self, project: Project) -> None:
        for entry, where in _each(self.data, "roles", "the file"):
            self.new(s.ROLE, entry, where, project=project,
                     user=self.person_ref(entry, "user", where))
        if not ProjectRole.objects.filter(project=project, role=ProjectRole.Role.LEAD).exists():
            raise TransferError("The file's \"roles\" name no lead: a project needs one.")

    def tasks(self, project: Project) -> None:
        for entry, where in _each(self.data, "tasks", "the file"):
            task = self.new(s.TASK, entry, where, project=project)
            impacts = []
            for impact_entry, impact_where in _each(entry, "impacts", where):
                impact = self.new(s.IMPACT, impact_entry, impact_where, project=project, task=task)
                indicators = []
                for found, found_where in _each(impact_entry, "indicators", impact_where):
                    indicator = self.indicator(project, impact, found, found_where)
                    indicators.append((indicator, []))
                impacts.append((impact, indicators))
            self.chain.append((task, impacts))
        bulk_create_with_history(
            [measurement for measurement, _ in self.measurements], s.MEASUREMENT.model,
            batch_size=500, default_change_reason=IMPORTED,
        )
        for measurement, stamps in self.measurements:
            self.made(s.MEASUREMENT, measurement, stamps)
        indicators_spc_refresh(
            indicator_ids={measurement.indicator_id for measurement, _ in self.measurements}
        )

    def indicator(self, project: Project, impact, entry, where: str):
        indicator = self.new(s.INDICATOR, entry, where, project=project, impact=impact)
        # Measurements are most of a project's rows: saved together, once the chain is made.
        dates = set()
        for row, row_where in _each(entry, "measurements", where):
            measurement, stamps = self.build(
                s.MEASUREMENT, row, row_where, project=project, indicator=indicator,
                recorded_by=self.person_ref(row, "recorded_by", row_where),
            )
            if measurement.date in dates:  # the one constraint a new indicator can break
                raise TransferError(f"{row_where}: another measurement has the same date.")
            dates.add(measurement.date)
            self.measurements.append((measurement, stamps))
        for row, row_where in _each(entry, "change_points", where):
            self.new(s.CHANGE_POINT, row, row_where, project=project, indicator=indicator)
        return indicator

    def chain_ref(self, data, key: str, where: str, depth: int):
        """The task (depth 1: `3`), impact (2: `[3, 1]`) or indicator (3: `[3, 1, 0]`) that
        `data[key]` names by its positions in the file, or None."""
        ref = _get(data, key, where)
        if ref is None:
            return None
        path = [ref] if depth == 1 else ref
        level, found = self.chain, None
        if isinstance(path, list) and len(path) == depth:
            for n in path:
                if type(n) is not int or not 0 <= n < len(level):
                    break
                found, level = level[n]
            else:
                return found
        raise TransferError(
            f"{where}: \"{key}\" refers to {json.dumps(ref)[:40]}, which is not in the file (a "
            "task is named by its place in \"tasks\", counted from 0; an impact by [task, "
            "impact]; an indicator by [task, impact, indicator])."
        )

    # --- the rest of the planning record ------------------------------------------------------

    def planning(self, project: Project) -> None:
        for entry, where in _each(self.data, "objectives", "the file"):
            indicator = self.chain_ref(entry, "indicator", where, 3)
            self.new(s.OBJECTIVE, entry, where, project=project, indicator=indicator)
        for entry, where in _each(self.data, "baseline", "the file"):
            self.new(s.BASELINE, entry, where, project=project)
        principles = [
            self.new(s.PRINCIPLE, entry, where, project=project)
            for entry, where in _each(self.data, "principles", "the file")
        ]
        for entry, where in _each(self.data, "scenarios", "the file"):
            scenario = self.new(s.SCENARIO, entry, where, project=project)
            for score, score_where in _each(entry, "scores", where):
                principle = _index(score, "principle", score_where, principles, "principle")
                self.new(s.SCORE, score, score_where, project=project, scenario=scenario,
                         principle=principles[principle])
        for entry, where in _each(self.data, "ideas", "the file"):
            self.new(s.IDEA, entry, where, project=project,
                     created_by=self.person_ref(entry, "created_by", where),
                     task=self.chain_ref(entry, "task", where, 1))
        for entry, where in _each(self.data, "risks", "the file"):
            self.new(s.RISK, entry, where, project=project)
        for entry, where in _each(self.data, "dependencies", "the file"):
            self.new(s.DEPENDENCY, entry, where, project=project)

    def comments(self, project: Project) -> None:
        for entry, where in _each(self.data, "comments", "the file"):
            self.new(
                s.COMMENT, entry, where, project=project,
                author=self.person_ref(entry, "author", where),
                task=self.chain_ref(entry, "task", where, 1),
                impact=self.chain_ref(entry, "impact", where, 2),
                indicator=self.chain_ref(entry, "indicator", where, 3),
            )

    # --- readiness checklists -----------------------------------------------------------------

    def checklists(self, project: Project) -> None:
        templates = [
            self.template(entry, where)
            for entry, where in _each(self.data, "checklist_templates", "the file")
        ]
        for entry, where in _each(self.data, "checklists", "the file"):
            template, items = templates[
                _index(entry, "template", where, templates, "checklist template")
            ]
            checklist = self.new(s.CHECKLIST, entry, where, project=project, template=template,
                                 created_by=self.person_ref(entry, "created_by", where))
            for response, response_where in _each(entry, "responses", where):
                item = _index(response, "item", response_where, items, "item of its template")
                self.new(s.RESPONSE, response, response_where, checklist=checklist,
                         item=items[item])

    def template(self, entry, where: str) -> tuple[ChecklistTemplate, list]:
        """The version of the template the checklists were made from: one here with the same
        slug, name, description and items (published or retired, never a draft that could
        still change), else the file's copy, made here as a retired version so that nobody
        starts a new checklist from it unless site staff choose to."""
        copy = ChecklistTemplate(
            **{name: _read(ChecklistTemplate, entry, name, where) for name in s.TEMPLATE.fields}
        )
        wanted = [
            tuple(_get(item, name, item_where) for name in s.ITEM.fields)
            for item, item_where in _each(entry, "items", where)
        ]
        family = ChecklistTemplate.objects.filter(slug=copy.slug).exclude(
            status=TemplateStatus.DRAFT
        )
        for here in sorted(family, key=lambda template: template.version != copy.version):
            items = list(here.items.order_by("position", "pk"))
            same_items = [tuple(getattr(item, name) for name in s.ITEM.fields) for item in items]
            if (here.name, here.description, same_items) == (copy.name, copy.description, wanted):
                self.report.templates_found.append(str(here))
                return here, items
        taken = ChecklistTemplate.objects.filter(slug=copy.slug).values_list("version", flat=True)
        version = copy.version if copy.version not in set(taken) else max(taken) + 1
        template = self.new(s.TEMPLATE, {**entry, "version": version}, where,
                            status=TemplateStatus.RETIRED)
        items = [
            self.new(s.ITEM, item, item_where, template=template)
            for item, item_where in _each(entry, "items", where)
        ]
        self.report.templates_created.append(str(template))
        return template, items

    # --- decisions and the packs they were made on -------------------------------------------

    def decisions(self, project: Project) -> None:
        packs = []
        for (entry, where), pdf in zip(_each(self.data, "packs", "the file"), self.pdfs,
                                       strict=True):
            pack = self.new(s.PACK, entry, where, project=project, status=Pack.Status.READY,
                            project_ids=[project.pk],
                            requested_by=self.person_ref(entry, "requested_by", where))
            pack.file.save(f"{pack.kind}.pdf", ContentFile(pdf), save=True)
            self.stored_files.append(pack.file)
            packs.append(pack)
        for entry, where in _each(self.data, "decisions", "the file"):
            pack = packs[_index(entry, "pack", where, packs, "pack")]
            self.new(s.DECISION, entry, where, project=project, pack=pack,
                     recorded_by=self.person_ref(entry, "recorded_by", where))
