"""The admin area: boards (create, edit, reorder, archive, moderation mode), moderators and
crisis resources.

The blueprint lives in ``forum.admin.blueprint``; create_app imports both view modules, so
importing a domain module of this package never pulls in the views.
"""
