from django.urls import path

from entregent.network.views import invitations as views

urlpatterns = [
    path("", views.my_network, name="home"),
    path("invitations/sent/", views.invitations_sent, name="sent"),
    path("invitations/<int:pk>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/ignore/", views.invitation_ignore, name="invitation_ignore"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("connections/", views.connections, name="connections"),
    path("followers/", views.followers, name="followers"),
    path("following/", views.following, name="following"),
    path("blocked/", views.blocked, name="blocked"),
    path("blocked/<int:pk>/unblock/", views.unblock, name="unblock"),
    path("preferences/", views.preferences, name="preferences"),
    path("invite/<str:slug>/", views.invite, name="invite"),
    path("member/<str:slug>/mutual/", views.mutual, name="mutual"),
    path("member/<str:slug>/connections/", views.member_connections, name="member_connections"),
    path("member/<str:slug>/follow/", views.follow, name="follow"),
    path("member/<str:slug>/unfollow/", views.unfollow, name="unfollow"),
    path("member/<str:slug>/remove/", views.remove, name="remove"),
    path("member/<str:slug>/block/", views.block, name="block"),
]
