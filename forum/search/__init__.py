"""Full-text search over thread titles and post bodies (SQLite FTS5 or PostgreSQL).

``views`` holds the blueprint and the page, ``index`` keeps the index in step with the posts
(an ORM session hook: no posting service calls it), ``queries`` runs a search (``ranking``
picks and scores its bounded candidates, ``folding`` takes accents off), ``terms`` turns
what someone typed into safe words, ``snippets`` highlights them, ``logs`` keeps queries out of
the request log and ``schema`` names the index tables.
"""
