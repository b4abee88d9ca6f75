"""Atom feeds: the newest threads of the site and of each board, the newest replies of a thread."""
