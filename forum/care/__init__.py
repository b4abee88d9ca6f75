"""Care features: reactions, blocks, muted boards, breaks and settings, drafts, the waiting
list, private conversations with the moderators, the privacy check and the crisis review
before publishing.

What several features need lives below it in the shared layer (content warnings in
``forum.warnings``, what blocks mean for a reader in ``forum.blocking``, the reader's
context in ``forum.reader``). The blueprint lives in ``forum.care.views``; create_app
imports it there.
"""
