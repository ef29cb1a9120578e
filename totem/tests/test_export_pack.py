"""manage.py export_pack: board papers from a script."""

import io
import re

import pypdf
import pytest
from django.core.management import CommandError, call_command

from projects.tests.factories import ImpactFactory, TaskFactory
from totem.models import Pack

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_pack", *args, stdout=out)
    return out.getvalue()


def test_export_writes_the_stored_pack_and_its_poster_and_portfolio(project, tmp_path):
    ImpactFactory(task=TaskFactory(project=project, title="Agree the case for change"))
    target = tmp_path / "board.pdf"
    said = export(str(project.pk), "-o", str(target))
    pack = Pack.objects.get(kind=Pack.Kind.PROJECT)
    assert f"governors' pack version 1 of {project.title} to {target}" in said
    assert pack.sha256 in said
    data = target.read_bytes()
    assert data == pack.file.open("rb").read()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == pack.pages
    assert "Agree the case for change" in " ".join(p.extract_text() for p in reader.pages)

    # Nothing changed: the same version again, not a new render.
    assert "version 1" in export(str(project.pk), "-o", str(tmp_path / "again.pdf"))
    assert Pack.objects.filter(kind=Pack.Kind.PROJECT).count() == 1

    said = export(str(project.pk), "--poster", "-o", str(tmp_path / "poster.pdf"))
    assert re.search(r"poster \(a3\) version 1 .*: 1 page,", said)

    organisation = project.lead_organisation.pk
    said = export("--portfolio", str(organisation), "-o", str(tmp_path / "portfolio.pdf"))
    assert "portfolio pack version 1" in said
    assert Pack.objects.get(kind=Pack.Kind.PORTFOLIO).project_ids == [project.pk]


def test_export_says_what_is_wrong(project):
    with pytest.raises(CommandError, match="no project 999999"):
        export("999999")
    with pytest.raises(CommandError, match="Give a project id"):
        export()
    with pytest.raises(CommandError, match="no organisation"):
        export("--portfolio", "999999")
    with pytest.raises(CommandError, match="not both"):
        export(str(project.pk), "--portfolio", "1")
