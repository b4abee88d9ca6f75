"""Threads and posts: reading a reply tree, starting threads, replying, editing, deleting.

The blueprint lives in ``forum.threads.views`` (create_app imports it there), so importing a
domain module of this package never pulls in the views.
"""
