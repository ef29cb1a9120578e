"""The PDFs as a board member reads them, from the demo project (the walk-through's data):
headings wrap between words, the Totem page is one trunk, no table leaves a row alone, figures
read like a board paper, and every PDF is tagged with a title and a language.

Rendered once per module and read back with pypdf: text, positions and structure.
"""

import io
import re

import pypdf
import pytest
from django.db import connection, transaction
from django.test import override_settings

from assessments.models import Assessment
from projects.models import Project, Scenario
from totem.demo import load_demo
from totem.models import Pack
from totem.packs import poster as poster_module
from totem.packs import services

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo_pdfs(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        name = connection.settings_dict["NAME"]
        assert "memory" in name or "test" in name, "not the test database"
        with override_settings(DEBUG=True, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
            load_demo()
            project = Project.objects.get()
            assessment = Assessment.objects.filter(status="submitted").order_by("pk").first()
            asks = {
                "pack": {"kind": Pack.Kind.PROJECT, "project": project},
                "poster": {"kind": Pack.Kind.POSTER, "project": project},
                "round": {
                    "kind": Pack.Kind.ROUND,
                    "assessment": assessment,
                    "organisation": assessment.organisation,
                },
            }
            pdfs = {}
            for name, ask in asks.items():
                pack = services.pack_request(user=None, render_now=True, **ask)
                assert pack.is_ready, pack.error
                with pack.file.open("rb") as stored:
                    pdfs[name] = stored.read()
            facts = {
                "scenarios": list(Scenario.objects.values_list("title", flat=True)),
                "levels": [level.name for level in assessment.framework.levels.all()],
                "tasks": list(project.tasks.order_by("position").values_list("title", flat=True)),
                "title": project.title,
            }
        transaction.set_rollback(True)
    return pdfs, facts


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def words(text: str) -> set[str]:
    return {w.strip(".,:;()·").casefold() for w in text.split()}


def test_table_headings_and_scenario_names_wrap_between_words_only(demo_pdfs):
    pdfs, facts = demo_pdfs
    pack = [page.extract_text() for page in reader(pdfs["pack"]).pages]
    principles = next(text for text in pack if text.startswith("Design principles"))
    # Every word of every scenario's full name is on the principles page whole: a name cut
    # short ("NORTH VALE F…") or broken mid-word ("OUTSOURC/E") is not.
    assert "…" not in principles
    for title in facts["scenarios"]:
        assert set(words(title)) <= words(principles), title
    assert "recommendation" in words("".join(pack))
    report = " ".join(page.extract_text() for page in reader(pdfs["round"]).pages)
    for level in facts["levels"]:
        assert level.casefold() in words(report), level


def _task_positions(page) -> list[tuple[float, float, str]]:
    """(x, y, the title's first words) of each "When you" task box on the page."""
    chunks = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            chunks.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return [
        (x, y, chunks[i + 1][2])
        for i, (x, y, text) in enumerate(chunks)
        if text == "When you" and chunks[i + 1][2] != "<task>"  # not the poster's key
    ]


@pytest.mark.parametrize("name", ["pack", "poster"])
def test_the_totem_is_one_trunk_read_bottom_up(demo_pdfs, name):
    pdfs, facts = demo_pdfs
    pages = reader(pdfs[name]).pages
    page = next(p for p in pages if "IMPACT (WINGS)" in p.extract_text().upper())
    boxes = _task_positions(page)
    assert len(boxes) == len(facts["tasks"])
    xs = [x for x, _, _ in boxes]
    assert max(xs) - min(xs) < 1, "the task boxes stand in more than one trunk"
    bottom_up = [title for _, _, title in sorted(boxes, key=lambda box: box[1])]
    for shown, title in zip(bottom_up, facts["tasks"], strict=True):
        assert title.startswith(shown.split("\n")[0][:12]), (shown, title)


def test_every_totem_the_a3_poster_takes_in_one_column_is_one_trunk_in_the_pack():
    class Task:
        def __init__(self, n):
            self.title = f"Task {n} with a title of some length"

        class impacts:  # noqa: N801 - mimics a related manager
            @staticmethod
            def all():
                return []

    for n in (1, 5, 10, 14, 18):
        layout = poster_module.poster_layout([Task(i) for i in range(n)], paper="A3")
        assert layout.columns == 1, n
        scaled = poster_module.pack_scale(layout, width_mm=273, height_mm=158)
        assert scaled["height_mm"] <= 158 and 0 < scaled["scale"]
        assert scaled["width_mm"] * scaled["scale"] <= 273.5


def test_no_readiness_row_is_left_alone_on_a_page(demo_pdfs):
    pdfs, _ = demo_pdfs
    for text in (page.extract_text() for page in reader(pdfs["pack"]).pages):
        if "MUST-HAVE OR QUESTION" in text:
            answers = re.findall(r"\b(YES|NO|PARTLY|NOT\s+ANSWERED|N/A)\b", text)
            assert len(answers) >= 2, text


def test_figures_read_like_a_board_paper(demo_pdfs):
    pdfs, _ = demo_pdfs
    text = " ".join(" ".join(p.extract_text().split()) for p in reader(pdfs["pack"]).pages)
    assert "£4.80" in text  # the baseline cost per payslip, in pounds and pence
    assert not re.search(r"£\d+\.\d(?!\d)", text), "money with one decimal"
    assert not re.search(r"-\d+% of the way", text)
    assert "£3.60 by 31 Mar 2027" in text  # the objective's target, with its unit
    assert "£150k" in text  # the error cost's target, in £k


@pytest.mark.parametrize("name", ["pack", "poster", "round"])
def test_pdfs_are_tagged_with_a_title_and_a_language(demo_pdfs, name):
    pdfs, facts = demo_pdfs
    pdf = reader(pdfs[name])
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    tree = root["/StructTreeRoot"].get_object()
    assert tree["/K"]  # a structure tree with content
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert pdf.metadata.title and (name == "round" or facts["title"] in pdf.metadata.title)
