"""Boards: the board index and each board's list of threads.

The blueprint lives in ``forum.boards.views`` (create_app imports it there), so importing a
domain module of this package never pulls in the views.
"""
