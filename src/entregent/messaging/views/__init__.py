"""Pages of messaging: the inbox (inbox.py), one conversation and the member's actions on it
(conversation.py), a new conversation (compose.py); what they show about conversations and messages
is worked out in common.py. Views parse, check access through the selectors, call one service and
render."""
