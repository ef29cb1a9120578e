from django.urls import path

from . import token_views

app_name = "tokens"

urlpatterns = [
    path("account/tokens/", token_views.token_list, name="token-list"),
    path("account/tokens/revoke/", token_views.token_revoke, name="token-revoke"),
]
