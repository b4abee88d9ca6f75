"""The admin area: boards (create, edit, reorder, archive, moderation mode) and moderators.

The blueprint lives in ``forum.admin.views`` (create_app imports it there), so importing a
domain module of this package never pulls in the views.
"""
