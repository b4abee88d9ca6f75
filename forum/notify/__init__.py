"""Asynchronous participation: who hears about what (replies, mentions, watched threads and
boards, support sent), notifications and their unread count, unread tracking in threads.

Notices are written when a post becomes visible (``forum.threads.services.publish_post``),
filtered by the recipients' blocks (keyed on the post's face: forum.blocking), muted boards,
quiet mode and breaks.
"""
