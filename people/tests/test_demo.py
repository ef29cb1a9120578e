import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from projects.models import Project


@pytest.mark.django_db
def test_the_demo_lead_invites_and_the_email_shows_on_sent_mail(settings, capsys, link_in):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "username: staff" in out and "/mail/" in out
    project = Project.objects.get()
    lead = Client()
    assert lead.login(username="lead", password="lead-demo-2026")
    lead.post(reverse("people:project-people", args=[project.pk]),
              {"email": "new.colleague@example.nhs.uk", "role": "contributor"})
    staff = Client()
    assert staff.login(username="staff", password="staff-demo-2026")
    sent_mail = staff.get(reverse("people:mail-list")).text
    assert f"Join {project.title} on Totem" in sent_mail
    orgadmin = Client()
    assert orgadmin.login(username="orgadmin", password="orgadmin-demo-2026")
    assert "Members of North Vale Hospitals NHS Trust" in orgadmin.get("/").text
