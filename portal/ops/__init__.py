"""Running the portal: the command line, backups, retention, catalogue checks and demo data."""
