"""Optional email digests of unread notifications (off unless FORUM_SMTP_URL is set).

views.py holds the blueprint (/settings/email), services.py who is due and sending,
compose.py the words of the email, mailer.py SMTP, addresses.py checking an address.
"""
