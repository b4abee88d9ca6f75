"""Report-and-review moderation: reports, the queue, actions, the audit log, appeals, notices.

The blueprint lives in ``forum.moderation.views`` (create_app imports it there), so importing a
domain module of this package never pulls in the views.
"""
