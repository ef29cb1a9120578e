"""Your account: name, email (changed through a link sent to the new address), password, and
signing out of every other session; password reset by email (Django's views, our templates)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from people import services
from people.forms import EmailChangeForm, NameForm, SignOutEverywhereForm
from people.mail import email_queue
from people.services import InvitationProblem
from projects.text import TextRulesMixin

from .invitations import link_problem


def account(request):
    user = request.user
    form = NameForm(request.POST or None, initial={"first_name": user.first_name,
                                                   "last_name": user.last_name})
    if request.method == "POST" and form.is_valid():
        services.account_update(user=user, **form.cleaned_data)
        messages.success(request, "Your name is saved.")
        return redirect("people:account")
    context = {"form": form, "sessions_form": SignOutEverywhereForm(user=user)}
    return render(request, "people/account.html", context)


def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        services.email_change_request(user=request.user, new_email=new_email)
        messages.success(
            request, f"We have sent a link to {new_email}. Your address changes when you open it."
        )
        return redirect("people:account")
    return render(request, "people/email_change.html", {"form": form})


@login_not_required
def email_confirm(request, token):
    """GET shows what will change; POST changes it (so a mail scanner's visit changes nothing)."""
    try:
        change = services.email_change_by_token(token)
        if request.method == "POST":
            services.email_change_confirm(change=change)
            messages.success(request, f"Your email address is now {change.new_email}.")
            return redirect("people:account" if request.user.is_authenticated else "login")
    except InvitationProblem as problem:
        return link_problem(request, problem)
    return render(request, "people/email_confirm.html", {"change": change})


@require_POST
def sessions_end(request):
    form = SignOutEverywhereForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.sessions_end_elsewhere(user=request.user,
                                            password=form.cleaned_data.get("password"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            update_session_auth_hash(request, request.user)  # this session stays signed in
            messages.success(request, "You are signed out everywhere else.")
            return redirect("people:account")
    else:
        messages.error(request, " ".join(form.errors.get("password", ["Check your password."])))
    return redirect("people:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "people/password_change.html"
    success_url = reverse_lazy("people:account")

    def form_valid(self, form):
        messages.success(self.request, "Your password is changed. Other sessions are signed out.")
        return super().form_valid(form)


class OutboxPasswordResetForm(TextRulesMixin, PasswordResetForm):
    """Django's reset form (no email for an unknown address, the same page either way), with
    the email sent through the outbox like every other."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        path = reverse("people:password-reset-confirm", args=[context["uid"], context["token"]])
        email_queue(
            to=to_email, subject="Reset your Totem password", template="emails/password_reset",
            user=context["user"],
            context={"user": context["user"], "action_url": settings.SITE_URL + path,
                     "action_label": "Choose a new password"},
        )


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "people/password_reset_form.html"
    success_url = reverse_lazy("people:password-reset-sent")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_sent.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password-reset-complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"
