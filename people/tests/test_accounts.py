"""Your account: password reset by email without enumeration, password and email changes,
signing out of every other session."""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import EmailChange, OutboxMessage
from projects.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def ada():
    return UserFactory(username="ada", email="ada@example.nhs.uk", first_name="Ada")


def signed_in(user):
    browser = Client()
    browser.force_login(user)
    return browser


def home_status(browser):
    return browser.get(reverse("home")).status_code


def test_password_reset_by_email_without_saying_who_has_an_account(guest, ada, link_in):
    url = reverse("people:password-reset")
    assert "Forgotten your password?" in guest.get(reverse("login")).text
    known = guest.post(url, {"email": "ADA@example.nhs.uk"}, follow=True)
    unknown = guest.post(url, {"email": "nobody@example.nhs.uk"}, follow=True)
    def said(page):  # the page less its per-request CSRF token
        return page.content.decode().split("<main", 1)[1]

    assert said(known) == said(unknown) and "If an account exists for that address" in known.text
    message = OutboxMessage.objects.get()  # only the real account got an email
    assert message.to == "ada@example.nhs.uk" and message.subject == "Reset your Totem password"
    path = link_in(message)

    form = guest.get(path, follow=True)
    assert "Choose a new password" in form.text
    done = guest.post(form.redirect_chain[-1][0], {"new_password1": "a brand new phrase 7",
                                                   "new_password2": "a brand new phrase 7"})
    assert done.status_code == 302
    ada.refresh_from_db()
    assert ada.check_password("a brand new phrase 7")
    again = Client().get(path, follow=True)  # the link works once
    assert "This link cannot be used" in again.text


def test_a_password_reset_link_expires(guest, ada, link_in, settings):
    guest.post(reverse("people:password-reset"), {"email": "ada@example.nhs.uk"})
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is already too old
    page = guest.get(link_in(OutboxMessage.objects.get()), follow=True)
    assert "This link cannot be used" in page.text


def test_changing_the_password_signs_out_every_other_session(ada):
    here, elsewhere = signed_in(ada), signed_in(ada)
    response = here.post(reverse("people:password-change"), {
        "old_password": PASSWORD, "new_password1": "another long phrase 9",
        "new_password2": "another long phrase 9"})
    assert response.status_code == 302
    assert home_status(here) == 200 and home_status(elsewhere) == 302


def test_sign_out_everywhere_else(ada):
    here, elsewhere = signed_in(ada), signed_in(ada)
    url = reverse("people:sessions-end")
    wrong = here.post(url, {"password": "not it"}, follow=True)
    assert "That is not your current password." in wrong.text and home_status(elsewhere) == 200
    here.post(url, {"password": PASSWORD})
    assert home_status(here) == 200 and home_status(elsewhere) == 302
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)  # the same password still signs in


def test_the_account_page_saves_a_name(ada):
    browser = signed_in(ada)
    page = browser.get(reverse("people:account"))
    assert "ada@example.nhs.uk" in page.text and "Sign out everywhere else" in page.text
    browser.post(reverse("people:account"), {"first_name": "Ada", "last_name": "Lovelace"})
    ada.refresh_from_db()
    assert ada.get_full_name() == "Ada Lovelace"


def test_a_new_email_is_confirmed_by_a_link_sent_to_it(ada, guest, link_in):
    browser = signed_in(ada)
    response = browser.post(reverse("people:email-change"),
                            {"new_email": "Ada.Lovelace@example.nhs.uk", "password": PASSWORD})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.email == "ada@example.nhs.uk"  # unchanged until confirmed
    message = OutboxMessage.objects.get()
    assert message.to == "ada.lovelace@example.nhs.uk"
    path = link_in(message)
    token = path.rstrip("/").rsplit("/", 1)[1]
    stored = EmailChange.objects.get().token_hash  # the link has the token, the table its hash
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored

    assert "Confirm this address" in guest.get(path).text
    ada.refresh_from_db()
    assert ada.email == "ada@example.nhs.uk"  # opening the link alone changes nothing
    guest.post(path)
    ada.refresh_from_db()
    assert ada.email == "ada.lovelace@example.nhs.uk"
    notice = OutboxMessage.objects.get(to="ada@example.nhs.uk")
    assert notice.subject == "Your Totem email address was changed"
    again = guest.post(path)
    assert again.status_code == 410 and "already been confirmed" in again.text


def test_an_email_change_needs_the_password_and_its_link_expires(ada, guest, link_in):
    browser = signed_in(ada)
    page = browser.post(reverse("people:email-change"),
                        {"new_email": "new@example.nhs.uk", "password": "wrong"})
    assert "That is not your current password." in page.text and not OutboxMessage.objects.exists()
    browser.post(reverse("people:email-change"),
                 {"new_email": "new@example.nhs.uk", "password": PASSWORD})
    EmailChange.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = guest.post(link_in(OutboxMessage.objects.get()))
    assert page.status_code == 410 and "has expired" in page.text
    ada.refresh_from_db()
    assert ada.email == "ada@example.nhs.uk"


def test_a_mistyped_email_link_gets_a_clear_page(guest):
    page = guest.get(reverse("people:email-confirm", args=["nonsense"]))
    assert page.status_code == 410 and "not valid" in page.text
