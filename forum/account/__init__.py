"""Data rights and account safety: password change, export, deletion, recovery codes.

The blueprint lives in ``forum.account.views`` (create_app imports it there), so importing a
domain module of this package never pulls in the views.
"""
