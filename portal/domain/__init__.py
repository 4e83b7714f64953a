"""Pure rules over plain data: scores, agreement, comparison, redaction, perspectives,
life stages, yes/no points and the sign-in throttle. No Flask and no database here."""
