"""The accessibility statement: public, in the regulations' shape, edited by site staff."""

import datetime

import pytest
from django.test import Client

from projects.tests.factories import UserFactory
from totem.models import AccessibilityStatement

pytestmark = pytest.mark.django_db

# The GOV.UK model statement's headings, which the regulations' monitoring body looks for.
SECTIONS = [
    "Accessibility statement for Totem",
    "How accessible this service is",
    "Feedback and contact information",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service",
    "Compliance status",
    "Non-accessible content",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def test_the_statement_is_public_and_has_every_section_of_the_model_statement(client):
    page = client.get("/accessibility/")
    assert page.status_code == 200
    text = page.content.decode()
    for heading in SECTIONS:
        assert heading in text, heading
    assert "Equality Advisory and Support Service" in text
    assert "(No. 2) Accessibility Regulations 2018" in text


def test_every_page_links_to_it_from_its_footer(lead_client, project):
    for response in (
        Client().get("/accounts/login/"),
        lead_client.get("/"),
        lead_client.get(f"/projects/{project.pk}/"),
    ):
        footer = response.content.decode().split("<footer", 1)[1]
        assert 'href="/accessibility/"' in footer


def test_staff_edit_the_organisation_specific_parts_in_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    statement = AccessibilityStatement.current()
    form = client.get(f"/admin/totem/accessibilitystatement/{statement.pk}/change/")
    assert form.status_code == 200
    data = {
        "organisation": "North Vale Hospitals NHS Trust",
        "service_name": "Totem",
        "contact_email": "digital@northvale.nhs.example",
        "contact_phone": "0113 496 0000",
        "response_days": "10",
        "compliance": "partial",
        "known_limitations": "Charts are pictures.",
        "non_compliance": "The heat map's colours alone carry meaning (1.4.1).",
        "disproportionate_burden": "",
        "outside_scope": "",
        "improvements": "Fix the heat map by March 2027.",
        "prepared_on": "2026-12-01",
        "reviewed_on": "",
        "tested_on": "2026-11-28",
        "tested_by": "the digital team",
    }
    response = client.post(f"/admin/totem/accessibilitystatement/{statement.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    statement.refresh_from_db()
    assert statement.prepared_on == datetime.date(2026, 12, 1)
    page = client.get("/accessibility/").content.decode()
    assert "run by North Vale Hospitals NHS Trust" in page
    assert "digital@northvale.nhs.example" in page and "10 working days" in page
    assert "partially compliant" in page and "(1.4.1)" in page
    assert "last tested on 28 November 2026" in page
    assert 'href="/accessibility/"' in client.get("/admin/").content.decode()
    # One statement: no second one, and it cannot be deleted.
    assert client.get("/admin/totem/accessibilitystatement/add/").status_code == 403
    assert AccessibilityStatement.objects.count() == 1


def test_pages_have_an_icon(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    from django.contrib.staticfiles import finders

    assert finders.find("img/favicon.svg")
