"""Pure rules over plain data: scores, agreement, comparison, redaction, perspectives,
yes/no points and the sign-in throttle. No Flask and no database here."""
