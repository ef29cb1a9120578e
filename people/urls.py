from django.urls import include, path

app_name = "people"

urlpatterns = [
    path("", include("people.sso_urls")),  # single sign-on and the second factor
]
