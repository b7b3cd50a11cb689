from django.urls import path

from entregent.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.settings_home, name="settings"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
