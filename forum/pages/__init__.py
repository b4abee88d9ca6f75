"""Static-ish pages: guidelines, crisis help, robots.txt and the health check.

The blueprint lives in ``forum.pages.views`` (create_app imports it there), so importing a
domain module of this package never pulls in the views.
"""
