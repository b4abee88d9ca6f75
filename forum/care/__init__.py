"""Care features: content warnings, reactions, blocks, muted boards, settings, waiting list.

The domain modules here are imported by posting and display code, so this package does not
import its views: the blueprint lives in ``forum.care.views`` and create_app imports it there.
"""
