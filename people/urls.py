from django.urls import include, path

from .views import accounts, invitations, mail, people

app_name = "people"

urlpatterns = [
    # The outbox for site staff ("Sent mail"; in development the only place email goes).
    path("mail/", mail.mail_list, name="mail-list"),
    path("mail/<int:message_id>/", mail.mail_detail, name="mail-detail"),
    path("mail/<int:message_id>/html/", mail.mail_html, name="mail-html"),
    # A project's people and invitations
    path("projects/<int:project_id>/people/", people.project_people, name="project-people"),
    path("projects/<int:project_id>/people/<int:role_id>/remove/", people.project_role_remove,
         name="project-role-remove"),
    path("projects/<int:project_id>/invitations/<int:invitation_id>/resend/",
         people.project_invitation_resend, name="project-invitation-resend"),
    path("projects/<int:project_id>/invitations/<int:invitation_id>/revoke/",
         people.project_invitation_revoke, name="project-invitation-revoke"),
    # An organisation's members and invitations (its admins)
    path("organisations/<int:organisation_id>/people/", people.organisation_people,
         name="organisation-people"),
    path("organisations/<int:organisation_id>/invitations/<int:invitation_id>/resend/",
         people.organisation_invitation_resend, name="organisation-invitation-resend"),
    path("organisations/<int:organisation_id>/invitations/<int:invitation_id>/revoke/",
         people.organisation_invitation_revoke, name="organisation-invitation-revoke"),
    # Following an invitation link
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation-accept"),
    # Your account
    path("account/", accounts.account, name="account"),
    path("account/email/", accounts.email_change, name="email-change"),
    path("account/email/confirm/<str:token>/", accounts.email_confirm, name="email-confirm"),
    path("account/password/", accounts.PasswordChangeView.as_view(), name="password-change"),
    path("account/sessions/end/", accounts.sessions_end, name="sessions-end"),
    # Password reset by email
    path("accounts/password-reset/", accounts.PasswordResetView.as_view(),
         name="password-reset"),
    path("accounts/password-reset/sent/", accounts.PasswordResetSentView.as_view(),
         name="password-reset-sent"),
    path("accounts/reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("accounts/reset/done/", accounts.PasswordResetCompleteView.as_view(),
         name="password-reset-complete"),
    path("", include("people.sso_urls")),  # single sign-on and the second factor
]
