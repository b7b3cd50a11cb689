"""/messaging/: the inbox and its rows' fragment, actions on a selection, a new conversation, one
conversation with its actions and fragment of new messages, groups, and one's own messages."""

from django.urls import path

from entregent.messaging.views import compose, conversation, inbox

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("rows/", inbox.inbox_rows_fragment, name="inbox_rows"),
    path("bulk/", inbox.bulk, name="bulk"),
    path("new/", compose.new, name="new"),
    path("<int:pk>/", conversation.conversation, name="conversation"),
    path("<int:pk>/after/", conversation.messages_after, name="messages_after"),
    path("<int:pk>/action/", conversation.action, name="action"),
    path("<int:pk>/group/add/", conversation.group_add, name="group_add"),
    path("<int:pk>/group/leave/", conversation.group_leave, name="group_leave"),
    path("<int:pk>/group/rename/", conversation.group_rename, name="group_rename"),
    path("message/<int:pk>/edit/", conversation.message_edit, name="message_edit"),
    path("message/<int:pk>/delete/", conversation.message_delete, name="message_delete"),
]
