"""The Outcome focus section of the governors' pack: the same panel as the project page."""

import html

import pytest
from django.template.loader import render_to_string

from projects.tests.factories import ImpactFactory, TaskFactory
from totem.packs.record import ProjectRecord
from totem.packs.sections import PROJECT_PACK, load_outcome_focus

pytestmark = pytest.mark.django_db


def test_the_pack_has_an_outcome_focus_section_left_out_while_there_is_nothing_to_score(project):
    section = next(section for section in PROJECT_PACK if section.key == "outcome_focus")
    assert load_outcome_focus(ProjectRecord(project)) is None

    ImpactFactory(task=TaskFactory(project=project), statement="We will hold workshops")
    focus = load_outcome_focus(ProjectRecord(project))
    assert (focus.score, focus.verdict) == (20, "task-focused")

    said = html.unescape(render_to_string(section.template, {"data": focus}))
    assert '<span class="outcome-focus-number">20</span>' in said
    assert "70 or more is outcome-focused" in said
    assert '"hold workshops" describes something the project will do' in said
    assert 'id="outcome-focus-h"' not in said  # the pack gives the section its own heading
