from django.urls import reverse

from projects.models import Project


def test_a_lead_archives_and_restores_a_project(client, project, chain, member_of):
    lead, governor = member_of("lead"), member_of("governor")
    client.force_login(lead)
    response = client.post(reverse("projects:project-archive", args=[project.pk]), follow=True)
    assert "is archived" in response.text
    project.refresh_from_db()
    assert project.archived_at is not None
    assert project.tasks.count() == 1  # nothing deleted
    home = client.get(reverse("home"))
    assert [p.pk for p in home.context["work"].archived] == [project.pk]
    assert home.context["work"].projects == []
    # Read-only, even for its lead, until restored.
    detail = client.get(reverse("projects:project-detail", args=[project.pk]))
    assert "This project was archived" in detail.text
    add = reverse("projects:task-create", args=[project.pk])
    assert client.post(add, {"title": "More", "status": "not_started"}).status_code == 403

    client.force_login(governor)
    assert client.get(reverse("projects:project-poster", args=[project.pk])).status_code == 404
    assert client.get(reverse("home")).context["work"].projects == []

    client.force_login(lead)
    client.post(reverse("projects:project-restore", args=[project.pk]))
    assert Project.objects.get(pk=project.pk).archived_at is None
    client.force_login(governor)
    assert client.get(reverse("projects:project-poster", args=[project.pk])).status_code == 200


def test_only_the_lead_archives(client, project, member_of):
    client.force_login(member_of("contributor"))
    assert client.post(reverse("projects:project-archive", args=[project.pk])).status_code == 403
    project.refresh_from_db()
    assert project.archived_at is None
