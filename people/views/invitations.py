"""Following an invitation link: accept with the account you are signed in to, or make one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render

from people import services
from people.forms import AcceptForm
from people.services import InvitationProblem
from people.sso import sso_enabled


def link_problem(request, problem: InvitationProblem, *, status: int = 410):
    """A clear page for a link that cannot be used (never a server error)."""
    return render(request, "people/link_problem.html", {"problem": problem.messages[0]},
                  status=status)


@login_not_required
def invitation_accept(request, token):
    try:
        invitation = services.invitation_by_token(token)
    except InvitationProblem as problem:
        return link_problem(request, problem)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        try:
            if signed_in:
                landing = services.invitation_accept(invitation=invitation, user=request.user)
            elif form.is_valid():
                user, landing = services.account_create_from_invitation(
                    invitation=invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                landing = None
        except InvitationProblem as problem:
            return link_problem(request, problem)
        if landing:
            messages.success(request, f"Welcome to {invitation.target}.")
            return redirect(landing)
    context = {"invitation": invitation, "form": form, "signed_in": signed_in,
               "sso_enabled": sso_enabled(), "sso_button_label": settings.OIDC_BUTTON_LABEL}
    return render(request, "people/invitation_accept.html", context)
