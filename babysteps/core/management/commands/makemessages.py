"""Django's makemessages without fuzzy matching: a new staff string must not arrive in a
parent-facing catalogue as a "fuzzy" guess borrowed from a similar parent sentence (it
would stay untranslated on purpose; see docs/languages.md)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
