"""Plumbing every feature uses: configuration, the database, sign-in checks, audit,
language, templates, forms and messages. No feature code lives here."""
