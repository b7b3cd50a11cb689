from django.urls import path

from entregent.plans import billing_views as views

app_name = "billing"

urlpatterns = [
    path("", views.home, name="home"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("change/", views.change, name="change"),
    path("cancel/<int:pk>/", views.cancel, name="cancel"),
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/<int:number>/", views.receipt, name="receipt"),
]
