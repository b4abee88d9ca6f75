"""Member profiles: handle, month joined and public (non-anonymous) posts.

The blueprint lives in ``forum.profiles.views`` (create_app imports it there), so importing a
domain module of this package never pulls in the views.
"""
