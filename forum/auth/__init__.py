"""Accounts: registration with a pseudonymous handle, logging in and out.

The blueprint lives in ``forum.auth.views`` (create_app imports it there), so importing a
domain module of this package never pulls in the views.
"""
