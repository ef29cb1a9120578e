from django.urls import path

from .views import mail

app_name = "people"

urlpatterns = [
    # The outbox for site staff ("Sent mail"; in development the only place email goes).
    path("mail/", mail.mail_list, name="mail-list"),
    path("mail/<int:message_id>/", mail.mail_detail, name="mail-detail"),
    path("mail/<int:message_id>/html/", mail.mail_html, name="mail-html"),
]
