import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from projects.models import Project


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_working_logins(client, settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Project.objects.count() == 1
    project = Project.objects.get()
    assert project.tasks.count() == 5
    assert "username: lead" in out and "password: lead-demo-2026" in out
    assert client.login(username="lead", password="lead-demo-2026")
    assert project.roles.get(user__username="governor").role == "governor"
    page = client.get(f"/projects/{project.pk}/poster/")
    assert "Shared payroll service" in page.text


@pytest.mark.django_db
def test_load_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo")
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_sign_in_page_signs_in(client, django_user_model):
    django_user_model.objects.create_user("amina", password="a-long-pass-phrase")
    page = client.get("/accounts/login/")
    assert "Sign in to Totem" in page.text
    response = client.post(
        "/accounts/login/", {"username": "amina", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    client.logout()
    bad = client.post("/accounts/login/", {"username": "amina", "password": "wrong"})
    assert "Please enter a correct username and password" in bad.text


def test_the_demo_lead_has_figures_due_and_the_sweep_emails_a_link_to_enter_one(db):
    from django.utils import timezone

    from notifications.selectors import my_work
    from notifications.sweep import sweep
    from people.models import OutboxMessage
    from totem.demo import load_demo

    load_demo()
    lead = get_user_model().objects.get(username="lead")
    work = my_work(lead, today=timezone.localdate())
    assert work.figures, "the demo lead's home page shows a figure due"
    sweep()
    [message] = OutboxMessage.objects.filter(to=lead.email)
    assert work.figures[0].url in message.body_text


@pytest.mark.django_db
def test_load_demo_prints_the_address_the_server_listens_on(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo", "--address", "127.0.0.1:8013")
    assert "Sign in at http://127.0.0.1:8013/" in capsys.readouterr().out
    call_command("load_demo", "--address", "8014")
    assert "Sign in at http://127.0.0.1:8014/" in capsys.readouterr().out
